import { withAuth } from "@/lib/auth/route";
import { cancelDeployment } from "@/lib/deployments/cancel-deployment";

type Context = { params: Promise<{ id: string }> };

/** Cancels; a rollout in flight is rolled back to the last successful revision. Answers { cancelled, rollback }. No body. */
export const POST = withAuth<Context>(async (_request, { actor, params }) => Response.json(await cancelDeployment({ actor, deploymentId: (await params).id })));
