import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { requestQuotaChange } from "@/lib/namespaces/change-namespace";

type Context = { params: Promise<{ id: string }> };

export const POST = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(
    await requestQuotaChange({
      actor,
      namespaceId: (await params).id,
      input: await jsonObjectBody(request, "a quota change with quota, containerDefaults and justification"),
    }),
    { status: 201 },
  ),
);
