// The shapes health is told in: what the poller stores in `ServiceHealth`
// snapshots (lib/health/ writes them, pages and the API read them) and what
// the pure health model (lib/health/model.ts) takes and returns. Kept apart
// so the model, the poller and the pages agree on one definition.

export const healthStates = ["healthy", "degraded", "unhealthy", "unknown"] as const;
export type HealthState = (typeof healthStates)[number];

/** Worst first: the order pages sort and summarise by. */
export const healthStateRank: Record<HealthState, number> = { unhealthy: 0, degraded: 1, unknown: 2, healthy: 3 };

/** The signals a reason can name. */
export const healthSignals = [
  "replicas", // ready vs desired
  "restarts", // container restarts in the window
  "crashLoop", // pods in CrashLoopBackOff
  "imagePull", // pods in ImagePullBackOff / ErrImagePull
  "rollout", // the last rollout failed or is stuck
  "failureRate", // % of requests failed (ItemCount-weighted)
  "p95Duration", // p95 request duration, ms
  "availability", // % of availability test runs passed
  "dataAge", // the data is older than two cycles
  "cluster", // the cluster could not be read
  "workspace", // the Log Analytics workspace could not be queried
  "telemetry", // no telemetry: no role name, or no requests in the window
] as const;
export type HealthSignal = (typeof healthSignals)[number];

/**
 * Why a service is not healthy (or what is not known). Every reason names
 * the signal, its value, the threshold it crossed and since when, and says
 * so in one sentence a person reads.
 */
export interface HealthReason {
  signal: HealthSignal;
  /** The state this reason alone implies; "healthy" for informational notes (e.g. no role name). */
  state: HealthState;
  value: number | string | null;
  threshold: number | string | null;
  /** ISO time the signal has been in this condition since, or null when not known. */
  since: string | null;
  /** e.g. "Failure rate 21.4 % is at or above the unhealthy threshold of 10 % (since 14:02 UTC)". */
  message: string;
}

/** A pair of limits: at or past `degraded` the signal degrades, at or past `unhealthy` it is unhealthy. */
export interface ThresholdPair {
  degraded: number;
  unhealthy: number;
}

/** Per tier, edited by admins; lib/health/thresholds.ts holds the defaults and the zod schema. */
export interface TierThresholds {
  tier: string;
  /** % of requests failed, 0–100; higher is worse. */
  failureRatePct: ThresholdPair;
  /** p95 request duration in ms; higher is worse. */
  p95DurationMs: ThresholdPair;
  /** % of availability test runs passed, 0–100; LOWER is worse (degraded > unhealthy). */
  availabilityPct: ThresholdPair;
  /** Container restarts in the window; higher is worse. */
  restarts: ThresholdPair;
  /** Below this many requests in the window, failure rate and p95 are not judged (too few to mean anything). */
  minRequests: number;
}

/** What Kubernetes says about one service's Deployment in one namespace, read from the worker's informers. */
export interface KubernetesObservation {
  observedAt: string;
  /** Set when the cluster could not be read; the other fields are then absent. */
  error?: string;
  desiredReplicas?: number;
  readyReplicas?: number;
  /** Restarts in the window across the service's pods. */
  restarts?: number;
  /** Pods waiting with a reason (CrashLoopBackOff, ImagePullBackOff, ErrImagePull, CreateContainerConfigError…). */
  waiting?: { reason: string; pods: number; since: string | null }[];
  /** The last rollout, when it failed or is still going past its deadline. */
  rollout?: {
    phase: "progressing" | "succeeded" | "failed";
    reason: string | null;
    since: string | null;
    /** The tag the rollout was taking the Deployment to. */ targetTag?: string | null;
  };
  /**
   * The image running: what the service's ready pods run (the most of them),
   * which after a failed rollout is still the old ReplicaSet's, not the
   * Deployment's new template; the template's only when no pod is ready.
   * Tag and digest when known.
   */
  image?: string;
  tag?: string | null;
  digest?: string | null;
}

/** What Application Insights says about one role over the window, ItemCount-weighted. */
export interface TelemetryObservation {
  observedAt: string;
  /** Set when the workspace could not be queried; the figures are then absent. */
  error?: string;
  requests?: number;
  failed?: number;
  /**
   * How many unsampled requests the sampled rows are worth as evidence of the failure rate (sampledEffectiveCount):
   * the failure rate's bound is judged on it. Absent in observations stored before it was counted: `requests` then.
   */
  effectiveRequests?: number;
  /**
   * How many requests the sampled rows are worth as evidence of a duration percentile (Kish's (Σw)² / Σw²: the number
   * of rows when every row stands for as many requests): p95 is judged only when it reaches the tier's minimum number
   * of requests. Absent in observations stored before it was counted, and for unsampled telemetry's hand-made results:
   * `requests` then.
   */
  sampledRequests?: number;
  failureRatePct?: number | null;
  p95DurationMs?: number | null;
  /** null when the role has no availability tests. */
  availabilityPct?: number | null;
  /** The availability test runs in the window and how many passed (ItemCount-weighted), when known: judged beyond chance. */
  availabilityRuns?: number;
  availabilityPassed?: number;
}
