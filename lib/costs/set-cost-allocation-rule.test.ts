// Integration (embedded PostgreSQL): an admin chooses how idle capacity and system namespaces' cost are allocated
// (decision 0058). The change, its audit event and a stale mark on every month with a stored allocation are one
// transaction; the stale refresh then re-allocates the months under the new rule, and every view still adds up to the
// bill to the cent, with idle (and system) no longer lines of their own once shared. One cluster, one day in 2036:
// two team namespaces, kube-system, and nodes with far more capacity than requested.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getCosts } from "./get-costs";
import { nodeResourceGroupOf, refreshCostAllocationNow } from "./cost-allocation";
import { refreshStaleCostAllocation } from "./stale-cost-allocation";
import { setCostAllocationRule } from "./set-cost-allocation-rule";
import { getCostAllocationRule } from "./get-cost-allocation-rule";
import { scopeOf } from "./sync-costs";
import { refreshForecastShares } from "./store-cost-forecast";

const suffix = randomBytes(3).toString("hex");
const subscriptionId = `sub-rule-${suffix}`;
const config = { azure: { subscriptionIds: [subscriptionId] }, costs: { syncHours: 6, sampleMinutes: 5 } } as unknown as Parameters<
  typeof getCosts
>[0]["config"];
const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada", email: "a@example.com", isAdmin: true, teams: [] };
let member: UserActor;
const day = "2036-03-05";
const month = "2036-03";
/** The cluster's resource and one scale set: 1,234.57 EUR that day. */
const billed = 3_457 + 120_000;
let teamA: string;
let teamB: string;

const view = (source: "stored" | "computed" = "stored", groupBy = "team") =>
  getCosts({ actor: admin, query: { groupBy, from: day, to: day }, config, source, now: new Date("2036-03-20T12:00:00Z") });
const lines = async (source: "stored" | "computed" = "stored") =>
  Object.fromEntries((await view(source)).lines.map((line) => [line.apart ?? line.key, line.totalMinor]));
const auditRows = () =>
  getPrisma().auditEvent.findMany({ where: { action: "cost.allocation_rule.set", actorName: { in: ["Ada", "Mo"] } }, orderBy: { id: "asc" } });

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeAll(async () => {
  const prisma = getPrisma();
  await prisma.costAllocationSetting.deleteMany();
  const [a, b] = await Promise.all(
    ["a", "b"].map((k) => prisma.team.create({ data: { slug: `ru${k}${suffix}`, name: `Rule ${k} ${suffix}`, entraGroupIds: [] } })),
  );
  teamA = a!.slug;
  teamB = b!.slug;
  member = { kind: "user", userId: randomUUID(), name: "Mo", email: "m@example.com", isAdmin: false, teams: [{ id: a!.id, slug: a!.slug, name: a!.name }] };
  const cluster = await prisma.cluster.create({
    data: {
      armId: `/subscriptions/${subscriptionId}/resourceGroups/rg-${suffix}/providers/Microsoft.ContainerService/managedClusters/ru-${suffix}`,
      name: `ru-${suffix}`,
      subscriptionId,
      resourceGroup: `rg-${suffix}`,
      location: "westeurope",
    },
  });
  const date = new Date(`${day}T00:00:00Z`);
  const asOf = new Date("2036-03-06T04:00:00Z");
  const nodeGroup = nodeResourceGroupOf(cluster).toLowerCase();
  await prisma.costRow.createMany({
    data: [
      { resourceId: cluster.armId.toLowerCase(), resourceGroup: cluster.resourceGroup.toLowerCase(), costMinor: 3_457n },
      {
        resourceId: `/subscriptions/${subscriptionId}/resourcegroups/${nodeGroup}/providers/microsoft.compute/virtualmachinescalesets/pool1`,
        resourceGroup: nodeGroup,
        costMinor: 120_000n,
      },
    ].map((row) => ({ ...row, scope: scopeOf(subscriptionId), date, currency: "EUR", asOf })),
  });
  const sample = (namespace: string, teamId: string | null, cpu: number, memory: number) => ({
    clusterId: cluster.id,
    namespace,
    day: date,
    teamId,
    cpuCoreHours: cpu,
    memoryGiBHours: memory,
    sampledSeconds: 86_400,
    updatedAt: asOf,
  });
  await prisma.namespaceResourceHours.createMany({
    data: [sample("shop", a!.id, 10 * 24, 20 * 24), sample("api", b!.id, 3 * 24, 50 * 24), sample("kube-system", null, 2 * 24, 4 * 24)],
  });
  // 48 cores and 192 GiB of nodes: most of the day's capacity is idle.
  await prisma.clusterCapacityHours.create({
    data: { clusterId: cluster.id, day: date, cpuCoreHours: 48 * 24, memoryGiBHours: 192 * 24, sampledSeconds: 86_400, updatedAt: asOf },
  });
  await refreshCostAllocationNow({ from: day, to: day });
  // Cost Management's forecast for the month, split among groups by their allocated cost as a sync would.
  await prisma.costForecast.create({
    data: { scope: scopeOf(subscriptionId), month, status: "forecast", currency: "EUR", actualMinor: BigInt(billed), totalMinor: BigInt(2 * billed), asOf },
  });
  await refreshForecastShares(prisma, scopeOf(subscriptionId), month);
});

const forecastShares = async () =>
  Object.fromEntries(
    (
      await getPrisma().costForecastShare.findMany({
        where: { scope: scopeOf(subscriptionId), month, grouping: "team" },
        select: { key: true, forecastMinor: true },
      })
    ).map((share) => [share.key, Number(share.forecastMinor)]),
  );

afterAll(async () => {
  // Back to the default for the files that run after this one, their months re-allocated under it.
  await setCostAllocationRule({ actor: admin, input: { idle: "apart", system: "apart" } });
  await refreshStaleCostAllocation();
  await getPrisma().costAllocationSetting.deleteMany();
});

describe("setCostAllocationRule", () => {
  it("starts at apart and apart: idle and system are lines of their own, adding up to the bill", async () => {
    const rule = await getCostAllocationRule({ actor: member });
    expect(rule).toMatchObject({ idle: "apart", system: "apart", isDefault: true, updatedBy: null });
    const before = await lines();
    expect(Object.keys(before).sort()).toEqual(["idle", "system", teamA, teamB].sort());
    expect(before.idle).toBeGreaterThan(before[teamA]! + before[teamB]!);
    expect(Object.values(before).reduce((a, b) => a + b, 0)).toBe(billed);
    expect((await view()).rule).toEqual({ idle: "apart", system: "apart" });
  });

  it("refuses a member, audits the refusal, and changes nothing", async () => {
    const error = await refusal(setCostAllocationRule({ actor: member, input: { idle: "proportional", system: "apart" } }));
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/Only a platform admin can choose how idle capacity/);
    expect((await auditRows()).map((row) => [row.actorName, row.outcome])).toEqual([["Mo", "denied"]]);
    expect(await getPrisma().costAllocationSetting.count()).toBe(0);
  });

  it("refuses a value that is not a rule, naming the field and the allowed values", async () => {
    const bad = await refusal(setCostAllocationRule({ actor: admin, input: { idle: "shared", system: "apart" } }));
    expect(bad.code).toBe("invalid_input");
    expect(bad.message).toBe("idle must be one of proportional, even, apart.");
    expect(bad.path).toEqual(["idle"]);
    const missing = await refusal(setCostAllocationRule({ actor: admin, input: { idle: "even" } }));
    expect(missing.message).toBe("system must be one of proportional, even, apart.");
    const extra = await refusal(setCostAllocationRule({ actor: admin, input: { idle: "even", system: "even", cpuWeight: 1 } }));
    expect(extra.message).toMatch(/Unknown field cpuWeight: the rule has only idle and system/);
    expect(await getPrisma().costAllocationSetting.count()).toBe(0);
  });

  it("shares idle by requests once the marked months are re-allocated, to the cent", async () => {
    const apart = await lines();
    await getPrisma().costAllocationStale.deleteMany();
    const change = await setCostAllocationRule({ actor: admin, input: { idle: "proportional", system: "apart" } });
    expect(change.changed).toBe(true);
    expect(change.markedMonths).toContain(month);
    expect(change.message).toMatch(/being recomputed/);
    expect(change.rule).toMatchObject({ idle: "proportional", system: "apart", isDefault: false, updatedBy: "Ada" });
    expect(change.rule.pendingMonths).toContain(month);
    const audit = (await auditRows()).at(-1)!;
    expect(audit).toMatchObject({
      actorName: "Ada",
      outcome: "success",
      before: { idle: "apart", system: "apart" },
      after: { idle: "proportional", system: "apart" },
    });
    expect(audit.detail).toContain(month);

    // Until the stale refresh runs, the stored figures are the old ones and the view says they are being recomputed.
    const waiting = await view();
    expect(waiting.rule).toEqual({ idle: "proportional", system: "apart" });
    expect(waiting.reallocatingMonths).toEqual([month]);
    // and which rule the figures shown were made with, day by day.
    expect(waiting.allocatedWith).toEqual([{ idle: "apart", system: "apart", days: 1 }]);
    expect(await lines()).toEqual(apart);

    expect(Object.keys(await forecastShares())).toContain("idle");
    expect((await refreshStaleCostAllocation()).months).toContain(month);
    const shared = await lines();
    // The forecast's parts follow the allocation: idle has none left, and they still add up to the forecast.
    const forecast = await forecastShares();
    expect(Object.keys(forecast).sort()).toEqual(["system", teamA, teamB].sort());
    expect(Object.values(forecast).reduce((a, b) => a + b, 0)).toBe(2 * billed);
    expect((await view()).reallocatingMonths).toEqual([]);
    expect((await view()).allocatedWith).toEqual([{ idle: "proportional", system: "apart", days: 1 }]);
    expect((await view("computed")).allocatedWith).toEqual([{ idle: "proportional", system: "apart", days: 1 }]);
    expect(Object.keys(shared).sort()).toEqual(["system", teamA, teamB].sort());
    expect(Object.values(shared).reduce((a, b) => a + b, 0)).toBe(billed);
    expect(shared.system).toBe(apart.system);
    // Each team takes idle in proportion to what it requested, within a cent.
    const idleA = shared[teamA]! - apart[teamA]!;
    const idleB = shared[teamB]! - apart[teamB]!;
    expect(idleA + idleB).toBe(apart.idle);
    expect(Math.abs(idleA - (apart.idle! * apart[teamA]!) / (apart[teamA]! + apart[teamB]!))).toBeLessThanOrEqual(1);
    // The stored figures are what allocating now gives, in every grouping.
    for (const groupBy of ["team", "namespace", "cluster"]) {
      expect((await view("stored", groupBy)).lines).toEqual((await view("computed", groupBy)).lines);
    }
  });

  it("does nothing for the rule already in force: no audit event, no month marked", async () => {
    const audits = (await auditRows()).length;
    const change = await setCostAllocationRule({ actor: admin, input: { idle: "proportional", system: "apart" } });
    expect(change).toMatchObject({ changed: false, markedMonths: [] });
    expect((await auditRows()).length).toBe(audits);
    expect(await getPrisma().costAllocationStale.count()).toBe(0);
  });

  it("shares idle evenly and system by requests: neither is a line of its own, still the bill to the cent", async () => {
    expect((await setCostAllocationRule({ actor: admin, input: { idle: "apart", system: "apart" } })).changed).toBe(true);
    await refreshStaleCostAllocation();
    const apart = await lines();
    await setCostAllocationRule({ actor: admin, input: { idle: "even", system: "proportional" } });
    await refreshStaleCostAllocation();
    const shared = await lines();
    expect(Object.keys(shared).sort()).toEqual([teamA, teamB].sort());
    expect(shared[teamA]! + shared[teamB]!).toBe(billed);
    // Evenly: the two teams' parts of idle differ by a cent at most; system follows requests, so A (more CPU) takes more of it.
    const extraA = shared[teamA]! - apart[teamA]!;
    const extraB = shared[teamB]! - apart[teamB]!;
    expect(extraA + extraB).toBe(apart.idle! + apart.system!);
    const systemA = extraA - Math.round(apart.idle! / 2);
    const systemB = extraB - Math.round(apart.idle! / 2);
    expect(Math.abs(systemA + systemB - apart.system!)).toBeLessThanOrEqual(1);
    expect(Math.abs(systemA - (apart.system! * apart[teamA]!) / (apart[teamA]! + apart[teamB]!))).toBeLessThanOrEqual(2);
    expect((await view()).rule).toEqual({ idle: "even", system: "proportional" });
    expect((await view("stored", "namespace")).lines.map((line) => line.key).sort()).toEqual([`ru-${suffix}/api`, `ru-${suffix}/shop`].sort());
  });
});
