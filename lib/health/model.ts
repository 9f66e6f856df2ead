// The health model: what Kubernetes and Application Insights say about one
// service in one namespace, held against its tier's thresholds, becomes one
// state with its reasons. Pure (no I/O, the clock is an input), so the poller,
// the tests and any page judge the same way from the same observations.
//
// Rules: the worst reason wins (unhealthy > degraded > unknown > healthy).
// A part that could not be read (cluster, workspace) or whose data is older
// than two poll cycles is unknown, never a stale green; the other part is
// still judged. Every reason names its signal, value, threshold and since.
import {
  healthStateRank,
  type HealthReason,
  type HealthSignal,
  type HealthState,
  type KubernetesObservation,
  type TelemetryObservation,
  type ThresholdPair,
  type TierThresholds,
} from "@/lib/health/types";

export interface PreviousHealth {
  state: HealthState;
  reasons: HealthReason[];
  stateSince: string;
}

export interface HealthInput {
  /** null: the service has no Deployment observed there (nothing to judge from Kubernetes). */
  kubernetes: KubernetesObservation | null;
  /** null: the service has no App Insights role name; health comes from Kubernetes only. */
  telemetry: TelemetryObservation | null;
  thresholds: TierThresholds;
  now: Date;
  /** The poll cycle's length: data older than two cycles is not trusted. */
  cycleSeconds: number;
  /** The last snapshot, so "since" carries forward while a condition lasts. */
  previous?: PreviousHealth | null;
}

export interface HealthVerdict {
  state: HealthState;
  /** Worst first. */
  reasons: HealthReason[];
  stateSince: string;
}

const imagePullReasons = new Set(["ImagePullBackOff", "ErrImagePull", "InvalidImageName"]);

/** "14:02 UTC" — the time of day a person reads a reason by; pages show the full time on hover. */
function clock(iso: string): string {
  return `${iso.slice(11, 16)} UTC`;
}

function sinceText(since: string | null): string {
  return since ? ` (since ${clock(since)})` : "";
}

/**
 * A reason's message without the " (since 14:24 UTC)" that sinceText ends it with: the service page shows the start
 * as a relative time instead (both together read "(since 18:00 UTC) (since just now)").
 */
export function withoutSince(message: string): string {
  return message.replace(/ \(since \d{2}:\d{2} UTC\)$/, "");
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : round(value, 1).toLocaleString("en-US", { maximumFractionDigits: 1 });
}

/** Which state a value implies against a pair of thresholds. A threshold of 0 on a higher-is-worse signal means "any at all". */
export function judge(value: number, pair: ThresholdPair, higherIsWorse: boolean): { state: HealthState; threshold: number } | null {
  const crossed = (limit: number) => (higherIsWorse ? (limit === 0 ? value > 0 : value >= limit) : value <= limit);
  if (crossed(pair.unhealthy)) return { state: "unhealthy", threshold: pair.unhealthy };
  if (crossed(pair.degraded)) return { state: "degraded", threshold: pair.degraded };
  return null;
}

/** Age in whole minutes; under a minute (short test cycles), in hundredths of a minute so it never reads 0. */
function ageMinutes(observedAt: string, now: Date): number {
  const ms = Math.max(0, now.getTime() - Date.parse(observedAt));
  return ms < 60_000 ? round(ms / 60_000, 2) : Math.floor(ms / 60_000);
}

/** "6 min", or "12 s" under a minute: with a 5 s cycle, stale data said "data is 0 min old". */
function ageText(observedAt: string, now: Date): string {
  const ms = Math.max(0, now.getTime() - Date.parse(observedAt));
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.floor(ms / 60_000)} min`;
}

function isStale(observedAt: string, now: Date, cycleSeconds: number): boolean {
  return now.getTime() - Date.parse(observedAt) > 2 * cycleSeconds * 1000;
}

type Draft = Omit<HealthReason, "since"> & { since: string | null };

function kubernetesReasons(observation: KubernetesObservation, thresholds: TierThresholds, now: Date, cycleSeconds: number): Draft[] {
  if (observation.error !== undefined) {
    return [
      {
        signal: "cluster",
        state: "unknown",
        value: observation.error,
        threshold: null,
        since: null,
        message: `Kubernetes state unknown: the cluster could not be read: ${observation.error}`,
      },
    ];
  }
  if (isStale(observation.observedAt, now, cycleSeconds)) {
    const minutes = ageMinutes(observation.observedAt, now);
    return [
      {
        signal: "dataAge",
        state: "unknown",
        value: minutes,
        threshold: round((2 * cycleSeconds) / 60, 2),
        since: observation.observedAt,
        message: `Kubernetes state unknown: data is ${ageText(observation.observedAt, now)} old (older than two poll cycles)`,
      },
    ];
  }
  const reasons: Draft[] = [];
  const desired = observation.desiredReplicas ?? 0;
  const ready = observation.readyReplicas ?? 0;
  if (desired > 0 && ready < desired) {
    const state: HealthState = ready === 0 ? "unhealthy" : "degraded";
    reasons.push({
      signal: "replicas",
      state,
      value: ready,
      threshold: desired,
      since: null,
      message: `${ready} of ${desired} replicas ready`,
    });
  }
  if (observation.restarts !== undefined) {
    const verdict = judge(observation.restarts, thresholds.restarts, true);
    if (verdict) {
      reasons.push({
        signal: "restarts",
        state: verdict.state,
        value: observation.restarts,
        threshold: verdict.threshold,
        since: null,
        message: `${observation.restarts} container restarts in the window, at or above the ${verdict.state} threshold of ${verdict.threshold}`,
      });
    }
  }
  for (const waiting of observation.waiting ?? []) {
    const signal: HealthSignal | null = waiting.reason === "CrashLoopBackOff" ? "crashLoop" : imagePullReasons.has(waiting.reason) ? "imagePull" : null;
    if (!signal || waiting.pods <= 0) continue;
    reasons.push({
      signal,
      state: "unhealthy",
      value: waiting.pods,
      threshold: 0,
      since: waiting.since,
      message: `${waiting.pods} ${waiting.pods === 1 ? "pod" : "pods"} in ${waiting.reason}`,
    });
  }
  const rollout = observation.rollout;
  if (rollout?.phase === "failed") {
    reasons.push({
      signal: "rollout",
      state: "unhealthy",
      value: "failed",
      threshold: null,
      since: rollout.since,
      message: `The last rollout${rollout.targetTag ? ` to ${rollout.targetTag}` : ""} failed${rollout.reason ? `: ${rollout.reason}` : ""}`,
    });
  } else if (rollout?.phase === "progressing") {
    reasons.push({
      signal: "rollout",
      state: "degraded",
      value: "progressing",
      threshold: "progress deadline",
      since: rollout.since,
      message:
        `A rollout${rollout.targetTag ? ` to ${rollout.targetTag}` : ""} is still ` +
        `progressing past its deadline${rollout.reason ? ` (${rollout.reason})` : ""}`,
    });
  }
  return reasons;
}

/** A 99 % interval (99.5 % one-sided): a false alarm on a wall board costs more than a minute more to see a real one. */
const confidenceZ = 2.576;

/**
 * The 99 % Wilson score interval's lower bound of `failed` in `requests`, in percent: the lowest true failure rate
 * consistent with what was seen. One failure in 20 requests reads 5 % but is consistent with a 0.59 % rate; 70 in
 * 1,000 reads 7 % and is not consistent with anything under 5.2 %. `effective` (sampledEffectiveCount) is how many
 * requests the sampled rows are worth as evidence: the rate stays failed / requests, the interval is as wide as
 * that many would make it.
 */
export function failureRateLowerBoundPct(failed: number, requests: number, effective = requests): number {
  if (requests <= 0) return 0;
  const p = Math.min(1, Math.max(0, failed / requests));
  const n = Math.min(requests, effective);
  if (n <= 0) return 0;
  const z2 = confidenceZ * confidenceZ;
  const centre = p + z2 / (2 * n);
  const margin = confidenceZ * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return (100 * Math.max(0, centre - margin)) / (1 + z2 / n);
}

/**
 * Sampled telemetry as Log Analytics sums it: each row stands for ItemCount requests (or calls). The sums of the
 * weights and of their squares, over every row and over the failed ones, are what the failure rate's uncertainty
 * needs (decision 0074).
 */
export interface SampledWeights {
  /** sum(ItemCount) */
  total: number;
  /** sumif(ItemCount, Success == false) */
  failed: number;
  /** sum(ItemCount * ItemCount) */
  totalSquares: number;
  /** sumif(ItemCount * ItemCount, Success == false) */
  failedSquares: number;
}

/**
 * How many unsampled requests would pin the failure rate down as well as these sampled rows do: p(1 − p) over the
 * variance of the ItemCount-weighted rate, Σw²(y − p)² / (Σw)², with Σw²(y − p)² = (1 − 2p)·Σ_failed w² + p²·Σw².
 * Under uniform sampling (every row ItemCount k) it is the number of rows, not the number of requests they stand
 * for: 5 failed rows in 100 at ItemCount 10 are 50 in 1,000 as a rate but 5 in 100 as evidence. Without failures
 * (or without successes) the rate has no spread to measure and Kish's (Σw)² / Σw² stands in. Never more than the
 * requests themselves.
 */
export function sampledEffectiveCount(weights: SampledWeights): number {
  const { total, failed, totalSquares, failedSquares } = weights;
  if (total <= 0 || totalSquares <= 0) return 0;
  const p = Math.min(1, Math.max(0, failed / total));
  const spread = (1 - 2 * p) * failedSquares + p * p * totalSquares;
  const effective = p > 0 && p < 1 && spread > 0 ? (p * (1 - p) * total * total) / spread : (total * total) / totalSquares;
  return Math.min(total, effective);
}

/**
 * The failure rate against the thresholds, judged by what the failures show beyond chance: a quiet critical service
 * with one failed request in 40 reads 2.5 %, over critical's 1 %, yet a 0.2 % service gives that often. So the state
 * comes from the rate's 99 % lower bound (failureRateLowerBoundPct); the reason still shows the rate seen. A rate over
 * a threshold that chance explains is a note, not a state, so a wall board does not flap on single failures.
 */
function failureRateReason(
  ratePct: number,
  requests: number,
  failed: number | undefined,
  effective: number | undefined,
  thresholds: TierThresholds,
): Draft | null {
  const seen = judge(ratePct, thresholds.failureRatePct, true);
  if (!seen) return null;
  const failures = failed ?? (ratePct * requests) / 100;
  const worth = Math.min(requests, effective ?? requests);
  const verdict = judge(failureRateLowerBoundPct(failures, requests, worth), thresholds.failureRatePct, true);
  // Sampled rows tell less than the requests they stand for: say so when it is why the rate is not judged.
  const sampled = worth < requests * 0.95 ? `, sampled: as telling as ${formatNumber(Math.round(worth))} unsampled` : "";
  const counted = `${formatNumber(round(failures, 1))} of ${formatNumber(requests)} requests${sampled}`;
  if (!verdict) {
    return {
      signal: "failureRate",
      state: "healthy",
      value: round(ratePct, 2),
      threshold: seen.threshold,
      since: null,
      message:
        `Failure rate ${formatNumber(ratePct)} % (${counted}) is over the ${seen.state} threshold of ${formatNumber(seen.threshold)} %, ` +
        "but so few failures can be chance: not judged yet",
    };
  }
  return {
    signal: "failureRate",
    state: verdict.state,
    value: round(ratePct, 2),
    threshold: verdict.threshold,
    since: null,
    message: `Failure rate ${formatNumber(ratePct)} % is at or above the ${verdict.state} threshold of ${formatNumber(verdict.threshold)} %`,
  };
}

/**
 * Availability against the thresholds, judged beyond chance as the failure rate is: five locations every five
 * minutes make 15 runs in the window, and one failed run reads 93.3 %, under critical's 95 %. The state comes from the
 * best availability the failed runs are consistent with (100 % less their failure share's lower bound); without run
 * counts (figures kept from before they were recorded), from the share seen.
 */
function availabilityReason(observation: TelemetryObservation, availabilityPct: number, thresholds: TierThresholds): Draft | null {
  const seen = judge(availabilityPct, thresholds.availabilityPct, false);
  if (!seen) return null;
  const runs = observation.availabilityRuns ?? 0;
  const passed = observation.availabilityPassed ?? 0;
  const counted = runs > 0 && observation.availabilityPassed !== undefined;
  const verdict = counted ? judge(100 - failureRateLowerBoundPct(runs - passed, runs), thresholds.availabilityPct, false) : seen;
  if (!verdict) {
    return {
      signal: "availability",
      state: "healthy",
      value: round(availabilityPct, 2),
      threshold: seen.threshold,
      since: null,
      message:
        `Availability ${formatNumber(availabilityPct)} % (${formatNumber(round(passed, 1))} of ${formatNumber(round(runs, 1))} test runs passed) ` +
        `is under the ${seen.state} threshold of ${formatNumber(seen.threshold)} %, but so few failed runs can be chance: not judged yet`,
    };
  }
  return {
    signal: "availability",
    state: verdict.state,
    value: round(availabilityPct, 2),
    threshold: verdict.threshold,
    since: null,
    message: `Availability ${formatNumber(availabilityPct)} % is at or below the ${verdict.state} threshold of ${formatNumber(verdict.threshold)} %`,
  };
}

function telemetryReasons(observation: TelemetryObservation | null, thresholds: TierThresholds, now: Date, cycleSeconds: number): Draft[] {
  if (observation === null) {
    return [
      {
        signal: "telemetry",
        state: "healthy",
        value: null,
        threshold: null,
        since: null,
        message: "No App Insights role name: health comes from Kubernetes only",
      },
    ];
  }
  const reasons: Draft[] = [];
  const stale = isStale(observation.observedAt, now, cycleSeconds);
  if (stale) {
    const minutes = ageMinutes(observation.observedAt, now);
    reasons.push({
      signal: "dataAge",
      state: "unknown",
      value: minutes,
      threshold: round((2 * cycleSeconds) / 60, 2),
      since: observation.observedAt,
      message: `Telemetry unknown: data is ${ageText(observation.observedAt, now)} old (older than two poll cycles)`,
    });
  }
  if (observation.error !== undefined) {
    reasons.push({
      signal: "workspace",
      state: "unknown",
      value: observation.error,
      threshold: null,
      since: null,
      message: `Telemetry unknown: the Log Analytics workspace could not be queried: ${observation.error}`,
    });
  }
  if (stale || observation.error !== undefined) return reasons;

  const requests = observation.requests ?? 0;
  const judged = requests >= thresholds.minRequests && requests > 0;
  if (!judged) {
    reasons.push({
      signal: "telemetry",
      state: "healthy",
      value: requests,
      threshold: thresholds.minRequests,
      since: null,
      message:
        requests === 0
          ? "No requests in the window: failure rate and p95 not judged"
          : `${formatNumber(requests)} requests in the window, fewer than ${formatNumber(thresholds.minRequests)}: failure rate and p95 not judged`,
    });
  }
  if (judged && observation.failureRatePct != null) {
    const failureRate = failureRateReason(observation.failureRatePct, requests, observation.failed, observation.effectiveRequests, thresholds);
    if (failureRate) reasons.push(failureRate);
  }
  if (judged && observation.p95DurationMs != null) {
    const verdict = judge(observation.p95DurationMs, thresholds.p95DurationMs, true);
    // Sampled telemetry: 40 requests in two rows of 20 pass the minimum, but their p95 is the slower of two durations.
    const sampled = observation.sampledRequests ?? requests;
    if (verdict && sampled < thresholds.minRequests) {
      reasons.push({
        signal: "p95Duration",
        state: "healthy",
        value: round(observation.p95DurationMs, 1),
        threshold: verdict.threshold,
        since: null,
        message:
          `p95 duration ${formatNumber(observation.p95DurationMs)} ms is at or above the ${verdict.state} threshold of ` +
          `${formatNumber(verdict.threshold)} ms, but the sampled telemetry is as telling as ${formatNumber(round(sampled, 1))} requests, ` +
          `fewer than ${formatNumber(thresholds.minRequests)}: not judged`,
      });
    } else if (verdict) {
      reasons.push({
        signal: "p95Duration",
        state: verdict.state,
        value: round(observation.p95DurationMs, 1),
        threshold: verdict.threshold,
        since: null,
        message:
          `p95 duration ${formatNumber(observation.p95DurationMs)} ms is at or above ` +
          `the ${verdict.state} threshold of ${formatNumber(verdict.threshold)} ms`,
      });
    }
  }
  if (observation.availabilityPct != null) {
    const availability = availabilityReason(observation, observation.availabilityPct, thresholds);
    if (availability) reasons.push(availability);
  }
  return reasons;
}

/** A reason keeps the since of the same signal in the same state from the last snapshot; otherwise its own, or now. */
function carrySince(draft: Draft, previous: PreviousHealth | null | undefined, now: Date): HealthReason {
  const before = previous?.reasons.find((reason) => reason.signal === draft.signal && reason.state === draft.state);
  const since = before?.since ?? draft.since ?? now.toISOString();
  // Informational notes (state healthy) read without a time: they are not conditions that began.
  const message = draft.state === "healthy" ? draft.message : `${draft.message}${sinceText(since)}`;
  return { ...draft, since, message };
}

export function worstState(reasons: readonly { state: HealthState }[]): HealthState {
  let worst: HealthState = "healthy";
  for (const reason of reasons) if (healthStateRank[reason.state] < healthStateRank[worst]) worst = reason.state;
  return worst;
}

export function evaluateHealth(input: HealthInput): HealthVerdict {
  const { thresholds, now, cycleSeconds, previous } = input;
  const drafts = [
    ...(input.kubernetes ? kubernetesReasons(input.kubernetes, thresholds, now, cycleSeconds) : []),
    ...telemetryReasons(input.telemetry, thresholds, now, cycleSeconds),
  ];
  if (!input.kubernetes && !input.telemetry) {
    drafts.push({
      signal: "replicas",
      state: "unknown",
      value: null,
      threshold: null,
      since: null,
      message: "Nothing observed: no Deployment seen on the cluster and no telemetry",
    });
  }
  const reasons = drafts.map((draft) => carrySince(draft, previous, now)).sort((a, b) => healthStateRank[a.state] - healthStateRank[b.state]);
  const state = worstState(reasons);
  const stateSince = previous && previous.state === state ? previous.stateSince : now.toISOString();
  return { state, reasons, stateSince };
}
