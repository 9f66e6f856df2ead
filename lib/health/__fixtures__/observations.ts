// Observations the health model is tested on: what the poller hands it for
// one service in one namespace, in the situations the issue names (a crash
// loop, a bad image, a failed or stuck rollout, errors and slowness, a
// throttled workspace, an unreachable cluster, a service with no role name).
import type { KubernetesObservation, TelemetryObservation } from "@/lib/health/types";

export const now = new Date("2026-12-04T14:30:00.000Z");
/** One minute before `now`: fresh for a 60 s cycle. */
export const fresh = "2026-12-04T14:29:00.000Z";

export const kubernetes = {
  allReady: { observedAt: fresh, desiredReplicas: 3, readyReplicas: 3, restarts: 0, waiting: [], image: "contoso.azurecr.io/payments-api:1.4.2", tag: "1.4.2", digest: null },
  oneOfThreeReady: { observedAt: fresh, desiredReplicas: 3, readyReplicas: 1, restarts: 0, waiting: [] },
  noneReady: { observedAt: fresh, desiredReplicas: 2, readyReplicas: 0, restarts: 0, waiting: [] },
  scaledToZero: { observedAt: fresh, desiredReplicas: 0, readyReplicas: 0, restarts: 0, waiting: [] },
  crashLooping: {
    observedAt: fresh,
    desiredReplicas: 2,
    readyReplicas: 1,
    restarts: 6,
    waiting: [{ reason: "CrashLoopBackOff", pods: 1, since: "2026-12-04T14:21:07.000Z" }],
    rollout: { phase: "failed", reason: "CrashLoopBackOff", since: "2026-12-04T14:23:40.000Z" },
  },
  imagePull: {
    observedAt: fresh,
    desiredReplicas: 2,
    readyReplicas: 2,
    restarts: 0,
    waiting: [{ reason: "ErrImagePull", pods: 1, since: "2026-12-04T14:28:00.000Z" }],
  },
  fewRestarts: { observedAt: fresh, desiredReplicas: 2, readyReplicas: 2, restarts: 4, waiting: [] },
  stuckRollout: {
    observedAt: fresh,
    desiredReplicas: 2,
    readyReplicas: 2,
    restarts: 0,
    waiting: [],
    rollout: { phase: "progressing", reason: "ProgressDeadlineExceeded", since: "2026-12-04T14:10:00.000Z" },
  },
  clusterUnreachable: { observedAt: fresh, error: "connect ECONNREFUSED 127.0.0.1:6443 (aks-weu-prod)" },
  stale: { observedAt: "2026-12-04T14:20:00.000Z", desiredReplicas: 2, readyReplicas: 2, restarts: 0, waiting: [] },
} satisfies Record<string, KubernetesObservation>;

export const telemetry = {
  quiet: { observedAt: fresh, requests: 1200, failed: 3, failureRatePct: 0.25, p95DurationMs: 180, availabilityPct: 100 },
  errors: { observedAt: fresh, requests: 1000, failed: 214, failureRatePct: 21.4, p95DurationMs: 240, availabilityPct: 100 },
  someErrors: { observedAt: fresh, requests: 1000, failed: 70, failureRatePct: 7, p95DurationMs: 240, availabilityPct: null },
  slow: { observedAt: fresh, requests: 900, failed: 0, failureRatePct: 0, p95DurationMs: 2450, availabilityPct: 100 },
  tooFewRequests: { observedAt: fresh, requests: 5, failed: 5, failureRatePct: 100, p95DurationMs: 9000, availabilityPct: null },
  noRequests: { observedAt: fresh, requests: 0, failed: 0, failureRatePct: null, p95DurationMs: null, availabilityPct: null },
  availabilityLow: { observedAt: fresh, requests: 500, failed: 0, failureRatePct: 0, p95DurationMs: 100, availabilityPct: 88 },
  throttled: { observedAt: "2026-12-04T14:24:00.000Z", error: "HTTP 429 ThrottledError: too many requests (retry after 120 s)" },
  failingButFresh: { observedAt: fresh, error: "HTTP 503 ServiceUnavailable: the workspace is not available" },
  stale: { observedAt: "2026-12-04T14:25:00.000Z", requests: 1200, failed: 0, failureRatePct: 0, p95DurationMs: 100, availabilityPct: 100 },
} satisfies Record<string, TelemetryObservation>;
