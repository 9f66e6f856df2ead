import { withAuth } from "@/lib/auth/route";
import { readDeploymentLog } from "@/lib/deployments/read-deployment-log";

type Context = { params: Promise<{ id: string }> };

/** ?pod=<name>&previous=true|false&tailLines=100: the last lines of one of the deployment's pods (decision 0051). */
export const GET = withAuth<Context>(async (request, { actor, params }) => {
  const query = request.nextUrl.searchParams;
  const input = Object.fromEntries(["pod", "previous", "tailLines"].flatMap((key) => (query.has(key) ? [[key, query.get(key)!]] : [])));
  const log = await readDeploymentLog({ actor, deploymentId: (await params).id, query: input });
  return Response.json(log, { headers: { "cache-control": "private, no-store" } });
});
