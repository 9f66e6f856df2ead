// Integration (embedded PostgreSQL): snapshots, transitions and samples as the
// poller writes them, and retention: 30 days kept, minutes folded into hours after 24 h.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { applyRetention, writeHealth, type HealthSnapshotWrite, type SampleWrite } from "@/lib/health/write-health";

const suffix = randomBytes(3).toString("hex");
let serviceId: string;
let namespaceId: string;

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug: `wh${suffix}`, name: `Team ${suffix}`, entraGroupIds: [], costCenter: "CC-1" } });
  const service = await prisma.service.create({
    data: { slug: `wh-${suffix}`, displayName: "wh", ownerTeamId: team.id, tier: "standard", lifecycle: "production", tags: [], searchText: "wh" },
  });
  const cluster = await prisma.cluster.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/wh-${suffix}`,
      name: `wh-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
    },
  });
  const namespace = await prisma.namespace.create({
    data: {
      clusterId: cluster.id,
      teamId: team.id,
      name: `wh-${suffix}`,
      activeName: `wh-${suffix}`,
      environment: "dev",
      costCenter: "CC-1",
      quota: {},
      containerDefaults: {},
      status: "ready",
    },
  });
  serviceId = service.id;
  namespaceId = namespace.id;
});

const sample = (at: string, overrides: Partial<SampleWrite> = {}): SampleWrite => ({
  serviceId,
  namespaceId,
  at: new Date(at),
  state: "healthy",
  requests: 100,
  failed: 1,
  failureRatePct: 1,
  p95DurationMs: 200,
  availabilityPct: 100,
  readyReplicas: 2,
  desiredReplicas: 2,
  ...overrides,
});

const snapshotAt = (at: Date, state: HealthSnapshotWrite["state"], previousState: HealthSnapshotWrite["previousState"]): HealthSnapshotWrite => ({
  serviceId,
  namespaceId,
  environment: "dev",
  state,
  reasons: [],
  stateSince: at,
  kubernetes: { observedAt: at.toISOString(), desiredReplicas: 2, readyReplicas: 2 },
  telemetry: null,
  evaluatedAt: at,
  previousState,
});

describe("writeHealth", () => {
  it("upserts the snapshot, writes a transition only on a change, and keeps an earlier minute's state when figures arrive late", async () => {
    const prisma = getPrisma();
    const t0 = new Date("2026-12-04T10:00:20Z");
    await writeHealth({ snapshots: [snapshotAt(t0, "healthy", null)], current: [sample("2026-12-04T10:00:00Z")], figures: [], pruneOthers: false });
    await writeHealth({
      snapshots: [snapshotAt(new Date("2026-12-04T10:01:20Z"), "healthy", "healthy")],
      current: [sample("2026-12-04T10:01:00Z", { requests: null, failed: null, failureRatePct: null, p95DurationMs: null })],
      figures: [],
      pruneOthers: false,
    });
    await writeHealth({
      snapshots: [snapshotAt(new Date("2026-12-04T10:02:20Z"), "degraded", "healthy")],
      current: [sample("2026-12-04T10:02:00Z", { state: "degraded" })],
      figures: [sample("2026-12-04T10:01:00Z", { state: "degraded", requests: 90, failed: 9, failureRatePct: 10, p95DurationMs: 300 })],
      pruneOthers: false,
    });
    const row = await prisma.serviceHealth.findUniqueOrThrow({ where: { serviceId_namespaceId: { serviceId, namespaceId } } });
    expect(row).toMatchObject({ state: "degraded", environment: "dev", kubernetes: { desiredReplicas: 2, readyReplicas: 2 } });
    const transitions = await prisma.healthTransition.findMany({ where: { serviceId }, orderBy: { at: "asc" } });
    expect(transitions.map((t) => [t.fromState, t.toState])).toEqual([
      [null, "healthy"],
      ["healthy", "degraded"],
    ]);
    const minute = await prisma.healthSample.findUniqueOrThrow({
      where: { serviceId_namespaceId_at: { serviceId, namespaceId, at: new Date("2026-12-04T10:01:00Z") } },
    });
    expect(minute).toMatchObject({ state: "healthy", requests: 90, failed: 9, failureRatePct: 10, p95DurationMs: 300, readyReplicas: 2 });
  });
});

describe("applyRetention", () => {
  it("folds whole hours older than 24 h into one hour sample each and drops what is older than 30 days", async () => {
    const prisma = getPrisma();
    const now = new Date("2026-12-10T12:30:00Z");
    await writeHealth({
      snapshots: [],
      current: [
        sample("2026-12-09T10:00:00Z", { requests: 100, failed: 10, p95DurationMs: 400, readyReplicas: 2 }),
        sample("2026-12-09T10:01:00Z", { requests: 300, failed: 0, p95DurationMs: 900, readyReplicas: 1, state: "degraded" }),
        sample("2026-12-09T10:59:00Z", { requests: 0, failed: 0, failureRatePct: null, p95DurationMs: null }),
        // Inside the last 24 hours: stays a minute.
        sample("2026-12-09T13:00:00Z"),
        // Older than 30 days: goes.
        sample("2026-11-09T10:00:00Z"),
      ],
      figures: [],
      pruneOthers: false,
    });
    await prisma.healthTransition.create({ data: { serviceId, namespaceId, fromState: "healthy", toState: "unknown", at: new Date("2026-11-01T00:00:00Z") } });
    await applyRetention(now);
    const rows = await prisma.healthSample.findMany({
      where: {
        serviceId,
        OR: [{ at: { gte: new Date("2026-12-09T00:00:00Z"), lt: new Date("2026-12-10T00:00:00Z") } }, { at: { lt: new Date("2026-11-10T00:00:00Z") } }],
      },
      orderBy: { at: "asc" },
    });
    expect(rows.map((row) => [row.at.toISOString(), row.resolution])).toEqual([
      ["2026-12-09T10:00:00.000Z", "hour"],
      ["2026-12-09T13:00:00.000Z", "minute"],
    ]);
    expect(rows[0]).toMatchObject({
      state: "degraded",
      requests: 400,
      failed: 10,
      failureRatePct: 2.5,
      p95DurationMs: 900,
      readyReplicas: 1,
      desiredReplicas: 2,
    });
    expect(await prisma.healthTransition.count({ where: { serviceId, at: { lt: new Date("2026-11-10T00:00:00Z") } } })).toBe(0);

    // Folding again changes nothing; a late minute for a folded hour is merged into it.
    await applyRetention(now);
    await writeHealth({
      snapshots: [],
      current: [],
      figures: [sample("2026-12-09T10:30:00Z", { requests: 100, failed: 90, p95DurationMs: 100, state: "unhealthy" })],
      pruneOthers: false,
    });
    await applyRetention(now);
    const hour = await prisma.healthSample.findUniqueOrThrow({
      where: { serviceId_namespaceId_at: { serviceId, namespaceId, at: new Date("2026-12-09T10:00:00Z") } },
    });
    expect(hour).toMatchObject({ resolution: "hour", state: "unhealthy", requests: 500, failed: 100, failureRatePct: 20, p95DurationMs: 900 });
  });
});
