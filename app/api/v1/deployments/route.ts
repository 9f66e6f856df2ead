import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { createDeploymentOnce } from "@/lib/deployments/create-deployment";
import { listDeployments } from "@/lib/deployments/list-deployments";

const shape =
  '{ "service": "<slug>", "namespaceId": "<uuid>" | "cluster": "<AKS cluster name>", ' +
  '"namespace": "<namespace name>", "tag": "1.4.2" | "digest": "sha256:...", "replicas"?: 3, "whenBusy"?: "refuse" | "queue" }';

/**
 * History, newest first: ?service=<slug>&namespace=<namespace id> (or
 * &cluster=<cluster name>&namespace=<namespace name>)&environment=prod&status=succeeded,failed
 * &requestedBy=<person id>&limit=50.
 * The body is the page's deployments; when there are older ones, a `Link`
 * header (rel="next", as GitHub's API pages) gives the same query with
 * &before=<id>. A pipeline's token may read it too (e.g. the last succeeded
 * revision before deploying).
 */
export const GET = withAuth(
  async (request, { actor }) => {
    const query = request.nextUrl.searchParams;
    const filter = Object.fromEntries(
      ["service", "cluster", "namespace", "environment", "status", "requestedBy", "limit", "before"].flatMap((key) =>
        query.has(key) ? [[key, query.get(key)!]] : [],
      ),
    );
    const page = await listDeployments({ actor, filter });
    const headers = new Headers();
    if (page.older) {
      const next = new URL(request.nextUrl);
      next.searchParams.set("before", page.older);
      headers.set("link", `<${next.pathname}${next.search}>; rel="next"`);
    }
    return Response.json(page.deployments, { headers });
  },
  { bearer: true },
);

/**
 * 201 with the deployment (applying, queued, or awaiting-approval); 400 with the policy's reasons; 409 when a rollout is running and
 * whenBusy is refuse. With an Idempotency-Key, a retry gets the first answer again (Idempotent-Replayed: true), another body a 422.
 */
export const POST = withAuth(
  async (request, { actor }) => {
    const input = await jsonObjectBody(request, shape);
    const result = await createDeploymentOnce({ actor, input, idempotencyKey: request.headers.get("idempotency-key") });
    if (result.replayed)
      return new Response(result.body, { status: result.status, headers: { "content-type": "application/json", "idempotent-replayed": "true" } });
    return Response.json(result.deployment, { status: 201 });
  },
  { bearer: true },
);
