import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { requestDecommission } from "@/lib/namespaces/change-namespace";

type Context = { params: Promise<{ id: string }> };

/** { "confirmName": "<the namespace's name>", "justification": "..." } */
export const POST = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(
    await requestDecommission({
      actor,
      namespaceId: (await params).id,
      input: await jsonObjectBody(request, '{ "confirmName": "<namespace>", "justification": "..." }'),
    }),
    { status: 201 },
  ),
);
