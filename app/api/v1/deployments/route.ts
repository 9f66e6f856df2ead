import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { listDeployments } from "@/lib/deployments/list-deployments";

const shape = '{ "service": "<slug>", "namespaceId": "<uuid>" | "cluster": "<AKS cluster name>", "namespace": "<namespace name>", "tag": "1.4.2" | "digest": "sha256:...", "replicas"?: 3, "whenBusy"?: "refuse" | "queue" }';

/** History, newest first: ?service=<slug>&namespace=<namespace id> (or &cluster=<cluster name>&namespace=<namespace name>)&status=succeeded,failed&limit=50. A pipeline's token may read it too (e.g. the last succeeded revision before deploying). */
export const GET = withAuth(async (request, { actor }) => {
  const query = request.nextUrl.searchParams;
  return Response.json(
    await listDeployments({
      actor,
      filter: { service: query.get("service") ?? undefined, cluster: query.get("cluster") ?? undefined, namespace: query.get("namespace") ?? undefined, status: query.get("status") ?? undefined, limit: query.get("limit") ?? undefined },
    }),
  );
}, { bearer: true });

/** 201 with the deployment (applying, queued, or awaiting-approval); 400 with the policy's reasons; 409 when a rollout is running and whenBusy is refuse. */
export const POST = withAuth(async (request, { actor }) => Response.json(await createDeployment({ actor, input: await jsonObjectBody(request, shape) }), { status: 201 }), { bearer: true });
