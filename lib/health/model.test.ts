import { describe, expect, it } from "vitest";
import { evaluateHealth, failureRateLowerBoundPct, judge, sampledEffectiveCount, withoutSince, type HealthInput } from "@/lib/health/model";
import { thresholdsForTier } from "@/lib/health/thresholds";
import { healthSignals, type HealthReason } from "@/lib/health/types";
import { kubernetes, now, telemetry } from "@/lib/health/__fixtures__/observations";

const standard = thresholdsForTier("standard", []);
const critical = thresholdsForTier("critical", []);

function evaluate(overrides: Partial<HealthInput>) {
  return evaluateHealth({
    kubernetes: kubernetes.allReady,
    telemetry: telemetry.quiet,
    thresholds: standard,
    now,
    cycleSeconds: 60,
    previous: null,
    ...overrides,
  });
}

function signals(reasons: HealthReason[]) {
  return reasons.map((reason) => `${reason.signal}:${reason.state}`);
}

describe("evaluateHealth", () => {
  it("is healthy with no reasons when everything is within thresholds", () => {
    const verdict = evaluate({});
    expect(verdict).toEqual({ state: "healthy", reasons: [], stateSince: now.toISOString() });
  });

  it("judges ready against desired replicas: fewer is degraded, none is unhealthy, zero desired is fine", () => {
    expect(evaluate({ kubernetes: kubernetes.oneOfThreeReady })).toMatchObject({
      state: "degraded",
      reasons: [{ signal: "replicas", value: 1, threshold: 3 }],
    });
    expect(evaluate({ kubernetes: kubernetes.noneReady })).toMatchObject({ state: "unhealthy", reasons: [{ signal: "replicas", value: 0, threshold: 2 }] });
    expect(evaluate({ kubernetes: kubernetes.scaledToZero }).state).toBe("healthy");
  });

  it("a crash loop and a failed rollout are unhealthy, with the pod's own since", () => {
    const verdict = evaluate({ kubernetes: kubernetes.crashLooping });
    expect(verdict.state).toBe("unhealthy");
    expect(signals(verdict.reasons)).toEqual(["crashLoop:unhealthy", "rollout:unhealthy", "replicas:degraded", "restarts:degraded"]);
    const crash = verdict.reasons.find((reason) => reason.signal === "crashLoop")!;
    expect(crash).toMatchObject({ value: 1, since: "2026-12-04T14:21:07.000Z", message: "1 pod in CrashLoopBackOff (since 14:21 UTC)" });
    expect(verdict.reasons.find((reason) => reason.signal === "rollout")!.message).toBe("The last rollout failed: CrashLoopBackOff (since 14:23 UTC)");
    const withTarget = evaluate({ kubernetes: { ...kubernetes.crashLooping, rollout: { ...kubernetes.crashLooping.rollout!, targetTag: "crash" } } });
    expect(withTarget.reasons.find((reason) => reason.signal === "rollout")!.message).toBe(
      "The last rollout to crash failed: CrashLoopBackOff (since 14:23 UTC)",
    );
  });

  it("an image that cannot be pulled is unhealthy even while old pods still serve", () => {
    expect(evaluate({ kubernetes: kubernetes.imagePull })).toMatchObject({ state: "unhealthy", reasons: [{ signal: "imagePull", value: 1 }] });
  });

  it("restarts in the window against the tier's thresholds", () => {
    expect(evaluate({ kubernetes: kubernetes.fewRestarts })).toMatchObject({ state: "degraded", reasons: [{ signal: "restarts", value: 4, threshold: 3 }] });
    expect(evaluate({ kubernetes: kubernetes.fewRestarts, thresholds: critical }).reasons[0]).toMatchObject({
      signal: "restarts",
      state: "degraded",
      threshold: 1,
    });
  });

  it("a rollout going past its deadline is degraded", () => {
    expect(evaluate({ kubernetes: kubernetes.stuckRollout })).toMatchObject({
      state: "degraded",
      reasons: [{ signal: "rollout", value: "progressing", since: "2026-12-04T14:10:00.000Z" }],
    });
  });

  it("failure rate and p95 against thresholds, each naming value and threshold", () => {
    const errors = evaluate({ telemetry: telemetry.errors });
    expect(errors.state).toBe("unhealthy");
    expect(errors.reasons).toEqual([
      {
        signal: "failureRate",
        state: "unhealthy",
        value: 21.4,
        threshold: 10,
        since: now.toISOString(),
        message: "Failure rate 21.4 % is at or above the unhealthy threshold of 10 % (since 14:30 UTC)",
      },
    ]);
    expect(evaluate({ telemetry: telemetry.someErrors })).toMatchObject({ state: "degraded", reasons: [{ signal: "failureRate", value: 7, threshold: 5 }] });
    expect(evaluate({ telemetry: telemetry.slow })).toMatchObject({ state: "degraded", reasons: [{ signal: "p95Duration", value: 2450, threshold: 1500 }] });
    expect(evaluate({ telemetry: telemetry.slow, thresholds: critical })).toMatchObject({
      state: "unhealthy",
      reasons: [{ signal: "p95Duration", threshold: 2000 }],
    });
  });

  it("judges failure rate by what its failures show beyond chance: one failure in 40 is a note, many are a state", () => {
    const quietCritical = { observedAt: telemetry.quiet.observedAt, requests: 40, failed: 1, failureRatePct: 2.5, p95DurationMs: 100, availabilityPct: null };
    const one = evaluate({ telemetry: quietCritical, thresholds: critical });
    expect(one.state).toBe("healthy");
    expect(one.reasons).toEqual([
      expect.objectContaining({
        signal: "failureRate",
        state: "healthy",
        value: 2.5,
        threshold: 1,
        message: "Failure rate 2.5 % (1 of 40 requests) is over the degraded threshold of 1 %, but so few failures can be chance: not judged yet",
      }),
    ]);
    // 4 in 40 (10 %) is not chance at 1 %, but could be 3 % underneath: degraded, not unhealthy.
    const four = evaluate({ telemetry: { ...quietCritical, failed: 4, failureRatePct: 10 }, thresholds: critical });
    expect(four).toMatchObject({ state: "degraded", reasons: [{ signal: "failureRate", value: 10, threshold: 1 }] });
    expect(four.reasons[0]!.message).toMatch(/^Failure rate 10 % is at or above the degraded threshold of 1 %/);
    // All 40 failing is unhealthy.
    expect(evaluate({ telemetry: { ...quietCritical, failed: 40, failureRatePct: 100 }, thresholds: critical }).state).toBe("unhealthy");
  });

  it("the failure rate's lower bound is the 99 % Wilson score interval's", () => {
    expect(failureRateLowerBoundPct(0, 100)).toBe(0);
    expect(failureRateLowerBoundPct(0, 0)).toBe(0);
    // One failure in the fewest requests a critical service is judged on is still under its 1 %.
    expect(failureRateLowerBoundPct(1, 20)).toBeCloseTo(0.59, 2);
    expect(failureRateLowerBoundPct(1, 40)).toBeCloseTo(0.29, 2);
    expect(failureRateLowerBoundPct(70, 1000)).toBeCloseTo(5.19, 2);
    expect(failureRateLowerBoundPct(214, 1000)).toBeCloseTo(18.25, 2);
    expect(failureRateLowerBoundPct(40, 40)).toBeCloseTo(85.77, 2);
    // More requests at the same rate: the bound closes in on the rate.
    expect(failureRateLowerBoundPct(200, 10_000)).toBeGreaterThan(failureRateLowerBoundPct(20, 1000));
    expect(failureRateLowerBoundPct(200, 10_000)).toBeLessThan(2);
  });

  it("sampled rows are worth as many requests as there are rows, not as many as they stand for", () => {
    // Unsampled (ItemCount 1): every request is its own row.
    expect(sampledEffectiveCount({ total: 1000, failed: 20, totalSquares: 1000, failedSquares: 20 })).toBeCloseTo(1000, 6);
    // Sampled 1 in 10: 100 rows of ItemCount 10, 5 of them failed. 50 in 1,000 as a rate, 5 in 100 as evidence.
    expect(sampledEffectiveCount({ total: 1000, failed: 50, totalSquares: 100 * 100, failedSquares: 5 * 100 })).toBeCloseTo(100, 6);
    // No failures: no spread to measure; the weights alone (Kish) say 10 rows of 10 are worth 10.
    expect(sampledEffectiveCount({ total: 100, failed: 0, totalSquares: 10 * 100, failedSquares: 0 })).toBeCloseTo(10, 6);
    expect(sampledEffectiveCount({ total: 100, failed: 100, totalSquares: 10 * 100, failedSquares: 10 * 100 })).toBeCloseTo(10, 6);
    // Unequal weights: 6 success rows of 160 and one failed row of 5 (a busy service failing 0.5 %) are worth far more
    // than 7 rows, as the failures' row is light, and far fewer than the 965 requests.
    const busy = sampledEffectiveCount({ total: 965, failed: 5, totalSquares: 6 * 160 * 160 + 25, failedSquares: 25 });
    expect(busy).toBeGreaterThan(100);
    expect(busy).toBeLessThan(200);
    // Never more than the requests, nothing from nothing.
    expect(sampledEffectiveCount({ total: 10, failed: 1, totalSquares: 1, failedSquares: 0.01 })).toBe(10);
    expect(sampledEffectiveCount({ total: 0, failed: 0, totalSquares: 0, failedSquares: 0 })).toBe(0);
    // The bound widens with fewer effective requests; at all of them it is the unsampled bound.
    expect(failureRateLowerBoundPct(20, 1000, 1000)).toBe(failureRateLowerBoundPct(20, 1000));
    expect(failureRateLowerBoundPct(20, 1000, 100)).toBeLessThan(failureRateLowerBoundPct(20, 1000));
    expect(failureRateLowerBoundPct(20, 1000, 100)).toBeCloseTo(failureRateLowerBoundPct(2, 100), 10);
  });

  it("judges a sampled failure rate on what its rows are worth, and says so when that is why it is not judged", () => {
    // 2 % of 1,000 requests failed, over critical's degraded 1 %. Unsampled, that many failures are not chance.
    const unsampled = { observedAt: telemetry.quiet.observedAt, requests: 1000, failed: 20, failureRatePct: 2, p95DurationMs: 100, availabilityPct: null };
    expect(evaluate({ telemetry: unsampled, thresholds: critical })).toMatchObject({
      state: "degraded",
      reasons: [{ signal: "failureRate", state: "degraded" }],
    });
    // Sampled 1 in 10, the same figures are 2 failed rows in 100: chance can do that to a 0.3 % service.
    const sampled = evaluate({ telemetry: { ...unsampled, effectiveRequests: 100 }, thresholds: critical });
    expect(sampled.state).toBe("healthy");
    expect(sampled.reasons).toEqual([
      expect.objectContaining({
        signal: "failureRate",
        state: "healthy",
        message:
          "Failure rate 2 % (20 of 1,000 requests, sampled: as telling as 100 unsampled) is over the degraded threshold of 1 %, " +
          "but so few failures can be chance: not judged yet",
      }),
    ]);
    // Many sampled failures are still judged: 20 % of 1,000 in 100 rows.
    expect(evaluate({ telemetry: { ...unsampled, failed: 200, failureRatePct: 20, effectiveRequests: 100 }, thresholds: critical }).state).toBe("unhealthy");
  });

  it("judges a sampled p95 only when its rows are worth the minimum number of requests, and says so when they are not", () => {
    // 900 requests, p95 2,450 ms: degraded for a standard service (threshold 1,500 ms).
    expect(evaluate({ telemetry: { ...telemetry.slow, sampledRequests: 900 } })).toMatchObject({
      state: "degraded",
      reasons: [{ signal: "p95Duration", state: "degraded" }],
    });
    // Sampled 1 in 100, the same 900 requests are 9 rows: their p95 is about the slowest of nine durations.
    const sampled = evaluate({ telemetry: { ...telemetry.slow, sampledRequests: 9 } });
    expect(sampled.state).toBe("healthy");
    expect(sampled.reasons).toEqual([
      expect.objectContaining({
        signal: "p95Duration",
        state: "healthy",
        value: 2450,
        threshold: 1500,
        message:
          "p95 duration 2,450 ms is at or above the degraded threshold of 1,500 ms, but the sampled telemetry is as telling as 9 requests, " +
          "fewer than 20: not judged",
      }),
    ]);
    // At the minimum it is judged; a fast sampled p95 leaves no note.
    expect(evaluate({ telemetry: { ...telemetry.slow, sampledRequests: 20 } }).state).toBe("degraded");
    expect(evaluate({ telemetry: { ...telemetry.quiet, sampledRequests: 3 } }).reasons.map((reason) => reason.signal)).not.toContain("p95Duration");
  });

  it("does not judge failure rate or p95 below the minimum number of requests, and says so", () => {
    const verdict = evaluate({ telemetry: telemetry.tooFewRequests });
    expect(verdict.state).toBe("healthy");
    expect(verdict.reasons).toEqual([
      expect.objectContaining({
        signal: "telemetry",
        state: "healthy",
        value: 5,
        threshold: 20,
        message: "5 requests in the window, fewer than 20: failure rate and p95 not judged",
      }),
    ]);
    expect(evaluate({ telemetry: telemetry.noRequests }).reasons[0]!.message).toBe("No requests in the window: failure rate and p95 not judged");
  });

  it("judges availability beyond chance when the runs are counted: one failed run of 15 is a note", () => {
    const runs = (passed: number) => ({
      ...telemetry.quiet,
      availabilityPct: (100 * passed) / 15,
      availabilityRuns: 15,
      availabilityPassed: passed,
    });
    const one = evaluate({ telemetry: runs(14), thresholds: critical });
    expect(one.state).toBe("healthy");
    expect(one.reasons).toEqual([
      expect.objectContaining({
        signal: "availability",
        state: "healthy",
        value: 93.33,
        threshold: 95,
        message:
          "Availability 93.3 % (14 of 15 test runs passed) is under the unhealthy threshold of 95 %, but so few failed runs can be chance: not judged yet",
      }),
    ]);
    // Two failed of 15 is at best 97.4 %: degraded against critical's 99 %, not unhealthy.
    expect(evaluate({ telemetry: runs(13), thresholds: critical })).toMatchObject({ state: "degraded", reasons: [{ signal: "availability", threshold: 99 }] });
    // A third of the runs failing is unhealthy; every run failing (the service down) too.
    expect(evaluate({ telemetry: runs(10), thresholds: critical })).toMatchObject({ state: "unhealthy", reasons: [{ signal: "availability", threshold: 95 }] });
    expect(evaluate({ telemetry: runs(0), thresholds: critical }).state).toBe("unhealthy");
  });

  it("availability: lower is worse", () => {
    expect(evaluate({ telemetry: telemetry.availabilityLow })).toMatchObject({
      state: "unhealthy",
      reasons: [{ signal: "availability", value: 88, threshold: 90 }],
    });
    expect(evaluate({ telemetry: telemetry.availabilityLow, thresholds: thresholdsForTier("experimental", []) })).toMatchObject({
      state: "degraded",
      reasons: [{ threshold: 90 }],
    });
  });

  it("the worst reason wins, and reasons come worst first", () => {
    const verdict = evaluate({ kubernetes: kubernetes.oneOfThreeReady, telemetry: telemetry.errors });
    expect(verdict.state).toBe("unhealthy");
    expect(signals(verdict.reasons)).toEqual(["failureRate:unhealthy", "replicas:degraded"]);
  });

  it("with no role name, health comes from Kubernetes only and says so", () => {
    const healthy = evaluate({ telemetry: null });
    expect(healthy.state).toBe("healthy");
    expect(healthy.reasons).toEqual([
      expect.objectContaining({ signal: "telemetry", state: "healthy", message: "No App Insights role name: health comes from Kubernetes only" }),
    ]);
    expect(evaluate({ telemetry: null, kubernetes: kubernetes.noneReady }).state).toBe("unhealthy");
  });

  it("a cluster that cannot be read makes the state unknown with the cluster's error", () => {
    const verdict = evaluate({ kubernetes: kubernetes.clusterUnreachable, telemetry: null });
    expect(verdict.state).toBe("unknown");
    expect(verdict.reasons[0]).toMatchObject({ signal: "cluster", state: "unknown", value: "connect ECONNREFUSED 127.0.0.1:6443 (aks-weu-prod)" });
    expect(verdict.reasons[0]!.message).toContain("Kubernetes state unknown: the cluster could not be read: connect ECONNREFUSED");
  });

  it("a workspace error makes telemetry unknown while Kubernetes is still judged", () => {
    const unknown = evaluate({ telemetry: telemetry.failingButFresh });
    expect(unknown.state).toBe("unknown");
    expect(unknown.reasons).toEqual([
      expect.objectContaining({
        signal: "workspace",
        state: "unknown",
        message: expect.stringContaining("Telemetry unknown: the Log Analytics workspace could not be queried: HTTP 503"),
      }),
    ]);
    expect(evaluate({ telemetry: telemetry.failingButFresh, kubernetes: kubernetes.noneReady }).state).toBe("unhealthy");
  });

  it("data older than two cycles is unknown with its age, never a stale green", () => {
    const throttled = evaluate({ telemetry: telemetry.throttled });
    expect(throttled.state).toBe("unknown");
    expect(throttled.reasons.map((reason) => reason.message)).toEqual([
      "Telemetry unknown: data is 6 min old (older than two poll cycles) (since 14:24 UTC)",
      "Telemetry unknown: the Log Analytics workspace could not be queried: HTTP 429 ThrottledError: too many requests (retry after 120 s) (since 14:30 UTC)",
    ]);
    expect(throttled.reasons[0]).toMatchObject({ signal: "dataAge", value: 6, threshold: 2 });
    expect(throttled.reasons.map((reason) => withoutSince(reason.message))[0]).toBe("Telemetry unknown: data is 6 min old (older than two poll cycles)");
    expect(evaluate({ telemetry: telemetry.stale }).state).toBe("unknown");
    expect(evaluate({ kubernetes: kubernetes.stale }).reasons[0]).toMatchObject({
      signal: "dataAge",
      message: expect.stringContaining("Kubernetes state unknown: data is 10 min old"),
    });
    // With the 5 s cycle of the e2e run, 12 s old data is stale and says its age in seconds, never "0 min old".
    const shortCycle = evaluate({
      kubernetes: { ...kubernetes.allReady, observedAt: now.toISOString() },
      telemetry: { ...telemetry.quiet, observedAt: new Date(now.getTime() - 12_000).toISOString() },
      cycleSeconds: 5,
    });
    expect(shortCycle.state).toBe("unknown");
    expect(shortCycle.reasons[0]).toMatchObject({
      signal: "dataAge",
      value: 0.2,
      threshold: 0.17,
      message: expect.stringContaining("Telemetry unknown: data is 12 s old (older than two poll cycles)"),
    });
    // With a 5-minute cycle the same data is still current.
    expect(evaluate({ telemetry: telemetry.stale, cycleSeconds: 300 }).state).toBe("healthy");
  });

  it("carries stateSince and each reason's since forward while they last", () => {
    const first = evaluate({ telemetry: telemetry.errors });
    const later = new Date(now.getTime() + 5 * 60_000);
    const k8s = { ...kubernetes.allReady, observedAt: later.toISOString() };
    const second = evaluate({ kubernetes: k8s, telemetry: { ...telemetry.errors, observedAt: later.toISOString() }, now: later, previous: first });
    expect(second.stateSince).toBe(now.toISOString());
    expect(second.reasons[0]!.since).toBe(now.toISOString());
    const recovered = evaluate({ kubernetes: k8s, telemetry: { ...telemetry.quiet, observedAt: later.toISOString() }, now: later, previous: second });
    expect(recovered).toEqual({ state: "healthy", reasons: [], stateSince: later.toISOString() });
  });

  it("every reason names a known signal, a since and a message", () => {
    const all = [kubernetes.crashLooping, kubernetes.clusterUnreachable, kubernetes.stuckRollout, kubernetes.stale].flatMap((k) =>
      [telemetry.errors, telemetry.throttled, telemetry.tooFewRequests, telemetry.slow, null].flatMap((t) => evaluate({ kubernetes: k, telemetry: t }).reasons),
    );
    for (const reason of all) {
      expect(healthSignals).toContain(reason.signal);
      expect(reason.since).not.toBeNull();
      expect(reason.message.length).toBeGreaterThan(10);
    }
  });
});

describe("judge", () => {
  it("a zero threshold on a count means any at all", () => {
    expect(judge(0, { degraded: 0, unhealthy: 5 }, true)).toBeNull();
    expect(judge(1, { degraded: 0, unhealthy: 5 }, true)).toEqual({ state: "degraded", threshold: 0 });
  });
});
