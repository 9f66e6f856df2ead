// Deployment requests (create, preview, roll back) each read the cluster,
// render and diff a manifest, and write in a transaction: ~20 ms of CPU in
// the web process. They take turns (lib/net/bulkhead.ts) so that a burst of
// them, a hundred pipelines at once, cannot slow down every page and live
// view the same process serves. Two at a time: with four, pages asked for
// during a burst of 100 waited longer (p95 582-851 ms against 353-437 ms in
// bench/deployments.ts) and the burst ended no sooner. And a turn gives way
// while the event loop has been more than 60% busy (up to half a second):
// requests sampled during the burst then p95 205-316 ms instead of 446-778
// ms (pages p50 23-37 ms instead of 77-169 ms), for a burst about 0.5 s
// longer (bench/README).
import { createBulkhead } from "@/lib/net/bulkhead";

export const deploymentRequests = createBulkhead({
  what: "deployment requests",
  concurrency: 2,
  maxWaiting: 500,
  retryAfterSeconds: 5,
  yieldAbove: { utilization: 0.6, stepMs: 25, maxYieldMs: 500 },
});
