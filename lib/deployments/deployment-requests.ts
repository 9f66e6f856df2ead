// Deployment requests (create, preview, roll back) each read the cluster,
// render and diff a manifest, and write in a transaction: ~100 ms of CPU in
// the web process under load. They take turns (lib/net/bulkhead.ts) so that a
// burst of them, a hundred pipelines at once, cannot slow down every page and
// live view the same process serves. Two at a time: with four, pages asked
// for during a burst of 100 waited longer (p95 582-851 ms against 353-437 ms
// in bench/deployments.ts) and the burst ended no sooner.
import { createBulkhead } from "@/lib/net/bulkhead";

export const deploymentRequests = createBulkhead({ what: "deployment requests", concurrency: 2, maxWaiting: 500, retryAfterSeconds: 5 });
