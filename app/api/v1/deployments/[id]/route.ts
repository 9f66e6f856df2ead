import { withAuth } from "@/lib/auth/route";
import { getDeployment } from "@/lib/deployments/list-deployments";

type Context = { params: Promise<{ id: string }> };

/** The deployment with its rollout: status, counts, pods, events and the reason it failed. Poll it while `inFlight` is true. */
export const GET = withAuth<Context>(async (_request, { actor, params }) => Response.json(await getDeployment({ actor, id: (await params).id })), {
  bearer: true,
});
