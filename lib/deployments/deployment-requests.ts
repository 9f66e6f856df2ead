// Deployment requests (create, preview, roll back) each read the cluster,
// render and diff a manifest, and write in a transaction: ~100 ms of CPU in
// the web process under load. They take turns (lib/net/bulkhead.ts) so that a
// burst of them, a hundred pipelines at once, cannot slow down every page and
// live view the same process serves. See bench/deployments.ts.
import { createBulkhead } from "@/lib/net/bulkhead";

export const deploymentRequests = createBulkhead({ what: "deployment requests", concurrency: 4, maxWaiting: 500, retryAfterSeconds: 5 });
