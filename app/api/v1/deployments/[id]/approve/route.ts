import { withAuth } from "@/lib/auth/route";
import { approveDeployment } from "@/lib/deployments/approve-deployment";

type Context = { params: Promise<{ id: string }> };

/** Approves a deployment waiting for approval; not by its requester. No body. */
export const POST = withAuth<Context>(async (_request, { actor, params }) =>
  Response.json(await approveDeployment({ actor, deploymentId: (await params).id })),
);
