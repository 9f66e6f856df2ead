import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { rejectDeployment } from "@/lib/deployments/reject-deployment";

type Context = { params: Promise<{ id: string }> };

/** { "reason": "..." } (3 to 500 characters): rejects a deployment waiting for approval; not by its requester. */
export const POST = withAuth<Context>(async (request, { actor, params }) =>
  Response.json(await rejectDeployment({ actor, deploymentId: (await params).id, input: await jsonObjectBody(request, '{ "reason": "..." }') })),
);
