import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";

type Context = { params: Promise<{ id: string }> };

/** { "decision": "approve" | "reject", "reason"?: string } — a rejection needs a reason. */
export const POST = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(
    await decideNamespaceRequest({
      actor,
      requestId: (await params).id,
      input: await jsonObjectBody(request, '{ "decision": "approve" | "reject", "reason": "..." }'),
    }),
  ),
);
