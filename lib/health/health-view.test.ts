import { describe, expect, it } from "vitest";
import { compareHealthEntries, dataAgeMessage, toHealthEntry, type ServiceHealthRow } from "@/lib/health/health-view";
import { bucketSamples } from "@/lib/health/trend-view";

const now = new Date("2026-12-04T14:30:00.000Z");
const row = (state: string, ageSeconds: number, extra: Partial<ServiceHealthRow> = {}): ServiceHealthRow => ({
  state,
  reasons: state === "healthy" ? [] : [{ signal: "replicas", state, value: 1, threshold: 2, since: null, message: "1 of 2 replicas ready" }],
  stateSince: new Date("2026-12-04T12:00:00.000Z"),
  kubernetes: { observedAt: now.toISOString(), readyReplicas: 2, desiredReplicas: 2 },
  telemetry: null,
  environment: "prod",
  evaluatedAt: new Date(now.getTime() - ageSeconds * 1000),
  service: {
    id: "s",
    slug: "orders-api",
    displayName: "Orders API",
    tier: "standard",
    appInsightsRoleName: "orders-api",
    ownerTeam: { id: "t", slug: "orders", name: "Orders" },
  },
  namespace: { id: "n", name: "orders-prod", cluster: { id: "c", name: "aks-prod-weu" } },
  ...extra,
});

describe("toHealthEntry", () => {
  it("trusts a snapshot up to two poll cycles old", () => {
    const entry = toHealthEntry(row("healthy", 120), now, 60);
    expect(entry).toMatchObject({ state: "healthy", stale: false, lastKnown: null, dataAgeSeconds: 120 });
  });

  it("turns an older one unknown, whatever it said, with its age as the reason", () => {
    const entry = toHealthEntry(row("healthy", 121), now, 60);
    expect(entry).toMatchObject({ state: "unknown", stale: true, lastKnown: { state: "healthy", reasons: [] } });
    expect(entry.reasons).toEqual([
      {
        signal: "dataAge",
        state: "unknown",
        value: 2,
        threshold: 2,
        since: "2026-12-04T14:27:59.000Z",
        message: "Data is 2 min old (last evaluated 2026-12-04 14:27 UTC): health is unknown until the poller reports again.",
      },
    ]);
    expect(toHealthEntry(row("unhealthy", 3600), now, 60).lastKnown?.reasons[0]?.message).toBe("1 of 2 replicas ready");
  });

  it("follows the configured cycle", () => {
    expect(toHealthEntry(row("degraded", 500), now, 300).state).toBe("degraded");
    expect(toHealthEntry(row("degraded", 601), now, 300).state).toBe("unknown");
  });

  it("never says 0 min old, and reads an unknown stored state as unknown", () => {
    expect(dataAgeMessage(new Date(now.getTime() - 5_000), now)).toMatch(/^Data is 1 min old/);
    expect(toHealthEntry(row("sparkling", 10), now, 60).state).toBe("unknown");
  });

  it("sorts worst first, then by name and production first", () => {
    const entries = [
      toHealthEntry(row("healthy", 10), now, 60),
      toHealthEntry(row("degraded", 10, { environment: "dev" }), now, 60),
      toHealthEntry(row("degraded", 10), now, 60),
      toHealthEntry(row("unhealthy", 10), now, 60),
      toHealthEntry(row("healthy", 1000), now, 60),
    ].sort(compareHealthEntries);
    expect(entries.map((e) => `${e.state}/${e.environment}`)).toEqual(["unhealthy/prod", "degraded/prod", "degraded/dev", "unknown/prod", "healthy/prod"]);
  });
});

describe("bucketSamples", () => {
  const sample = (minute: number, requests: number | null, failed: number | null, p95: number | null, ready = 2) => ({
    at: new Date(Date.UTC(2026, 11, 4, 14, minute)),
    requests,
    failed,
    failureRatePct: requests && failed !== null ? (100 * failed) / requests : null,
    p95DurationMs: p95,
    availabilityPct: null,
    readyReplicas: ready,
    desiredReplicas: 2,
  });

  it("gives requests per minute sampled, recomputes the failure rate from the sums, keeps the worst p95 and the lowest ready count", () => {
    const points = bucketSamples([sample(0, 10, 0, 100), sample(1, 90, 9, 400, 1), sample(5, 50, 0, 80)]);
    expect(points).toEqual([
      {
        at: "2026-12-04T14:00:00.000Z",
        requestsPerMinute: 50,
        failureRatePct: 9,
        p95DurationMs: 400,
        availabilityPct: null,
        readyReplicas: 1,
        desiredReplicas: 2,
      },
      {
        at: "2026-12-04T14:05:00.000Z",
        requestsPerMinute: 50,
        failureRatePct: 0,
        p95DurationMs: 80,
        availabilityPct: null,
        readyReplicas: 2,
        desiredReplicas: 2,
      },
    ]);
  });

  it("keeps a bucket without telemetry as gaps, not zeros", () => {
    expect(bucketSamples([sample(0, null, null, null)])[0]).toMatchObject({ requestsPerMinute: null, failureRatePct: null, p95DurationMs: null });
  });
});
