// Integration (embedded PostgreSQL): stored Cost Management rows and resource-hours through the allocation,
// as an admin (adds up to the bill) and as a team member (their teams only); bad ranges refused; the sync's state.
// Dates in 2031 so rows of other test files in the same database never fall in range.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { getCosts } from "./get-costs";
import { scopeOf } from "./sync-costs";
import { refreshCostAllocationNow } from "./cost-allocation";

const suffix = randomBytes(3).toString("hex");
const subscriptionId = `sub-${suffix}`;
const config = { azure: { subscriptionIds: [subscriptionId] }, costs: { syncHours: 6, sampleMinutes: 5 } } as unknown as Parameters<
  typeof getCosts
>[0]["config"];
const base = { kind: "user", userId: "u1", name: "T", email: "t@example.com" } as const;
const admin: UserActor = { ...base, isAdmin: true, teams: [] };
let member: UserActor;
let viewer: UserActor;
const slugA = `ca${suffix}`;
const slugB = `cb${suffix}`;
const now = new Date("2031-02-20T12:00:00Z");

beforeAll(async () => {
  const prisma = getPrisma();
  const teamA = await prisma.team.create({ data: { slug: slugA, name: `Alpha ${suffix}`, entraGroupIds: [], costCenter: "CC-1" } });
  const teamB = await prisma.team.create({ data: { slug: slugB, name: `Beta ${suffix}`, entraGroupIds: [], costCenter: "CC-1" } });
  member = { ...base, isAdmin: false, teams: [{ id: teamB.id, slug: slugB, name: teamB.name }] };
  viewer = { ...base, isAdmin: false, teams: [] };
  const cluster = (name: string, nodeResourceGroup?: string) =>
    prisma.cluster.create({
      data: {
        armId: `/subscriptions/${subscriptionId}/resourceGroups/rg-${suffix}/providers/Microsoft.ContainerService/managedClusters/${name}`,
        name,
        subscriptionId,
        resourceGroup: `rg-${suffix}`,
        location: "westeurope",
        nodeResourceGroup,
      },
    });
  const prod = await cluster(`prod-${suffix}`);
  const quiet = await cluster(`quiet-${suffix}`);
  // Created with --node-resource-group: its nodes are billed in a group AKS's default name does not give (March only).
  const custom = await cluster(`custom-${suffix}`, `rg-${suffix}-nodes`);
  const asOf = new Date("2031-02-20T08:00:00Z");
  const row = (date: string, resourceId: string, resourceGroup: string, costMinor: number, tags: { team?: string; service?: string } = {}) => ({
    scope: scopeOf(subscriptionId),
    date: new Date(`${date}T00:00:00Z`),
    resourceId: resourceId.toLowerCase(),
    resourceGroup: resourceGroup.toLowerCase(),
    costMinor: BigInt(costMinor),
    currency: "USD",
    asOf,
    ...tags,
  });
  const nodeGroup = (name: string) => `MC_rg-${suffix}_${name}_westeurope`;
  await prisma.costRow.createMany({
    data: [
      row("2031-01-10", prod.armId, `rg-${suffix}`, 1000),
      row(
        "2031-01-10",
        `/subscriptions/x/resourcegroups/${nodeGroup(prod.name)}/providers/microsoft.compute/virtualmachinescalesets/pool1`,
        nodeGroup(prod.name),
        2000,
      ),
      row("2031-01-11", prod.armId, `rg-${suffix}`, 500),
      row("2031-01-10", `/subscriptions/x/resourcegroups/rg-${slugA}/providers/microsoft.cache/redis/r1`, `rg-${slugA}`, 300, { team: slugA }),
      row("2031-02-03", quiet.armId, `rg-${suffix}`, 4321),
      row(
        "2031-03-05",
        `/subscriptions/x/resourcegroups/rg-${suffix}-nodes/providers/microsoft.compute/virtualmachinescalesets/pool1`,
        `rg-${suffix}-nodes`,
        2000,
      ),
    ],
  });
  // The namespaces themselves are not needed: samples carry their team, as for a namespace deleted since.
  await prisma.namespaceResourceHours.createMany({
    data: [
      {
        clusterId: prod.id,
        namespace: "alpha-shop",
        day: new Date("2031-01-10T00:00:00Z"),
        teamId: teamA.id,
        cpuCoreHours: 3,
        memoryGiBHours: 3,
        sampledSeconds: 86_400,
        updatedAt: asOf,
      },
      {
        clusterId: prod.id,
        namespace: "beta-api",
        day: new Date("2031-01-10T00:00:00Z"),
        teamId: teamB.id,
        cpuCoreHours: 1,
        memoryGiBHours: 1,
        sampledSeconds: 86_400,
        updatedAt: asOf,
      },
      {
        clusterId: custom.id,
        namespace: "alpha-batch",
        day: new Date("2031-03-05T00:00:00Z"),
        teamId: teamA.id,
        cpuCoreHours: 2,
        memoryGiBHours: 2,
        sampledSeconds: 86_400,
        updatedAt: asOf,
      },
    ],
  });
  // What a sync and a sample do after storing them (decision 0035).
  await refreshCostAllocationNow({ from: "2031-01-01", to: "2031-03-31" });
  await prisma.costSyncState.create({
    data: {
      scope: scopeOf(subscriptionId),
      lastSyncedAt: new Date("2031-02-20T06:00:00Z"),
      lastMonths: ["2031-01", "2031-02"],
      lastError: "Cost Management answered 500",
      lastErrorAt: new Date("2031-02-20T11:00:00Z"),
    },
  });
});

const totals = (view: Awaited<ReturnType<typeof getCosts>>) => Object.fromEntries(view.lines.map((line) => [line.key, line.totalMinor]));

describe("getCosts", () => {
  it("allocates each cluster's bill by requested hours and adds up to the bill to the cent, idle apart", async () => {
    const view = await getCosts({ actor: admin, query: { groupBy: "team", from: "2031-01-01", to: "2031-01-31" }, now, config });
    expect(view.currency).toBe("USD");
    expect(view.totalMinor).toBe(3800);
    expect(totals(view)).toEqual({ [slugA]: 2550, [slugB]: 750, idle: 500 });
    expect(view.lines.find((line) => line.key === slugA)?.label).toBe(`Alpha ${suffix}`);
    expect(view.days).toHaveLength(31);
    expect(view.dailyTotalMinor[9]).toBe(3300);
    expect(view.notes).toContain(`prod-${suffix}: no namespace samples on 2031-01-11; that cost is idle.`);
    expect(view.dataAsOf).toBe("2031-02-20T08:00:00.000Z");
  });

  it("groups by namespace, cluster and service with the same total", async () => {
    for (const groupBy of ["namespace", "cluster", "service"] as const) {
      const view = await getCosts({ actor: admin, query: { groupBy, from: "2031-01-01", to: "2031-01-31" }, now, config });
      expect(view.totalMinor, groupBy).toBe(3800);
    }
    const byNamespace = await getCosts({ actor: admin, query: { groupBy: "namespace", from: "2031-01-01", to: "2031-01-31" }, now, config });
    expect(totals(byNamespace)).toMatchObject({ [`prod-${suffix}/alpha-shop`]: 2250, [`prod-${suffix}/beta-api`]: 750, unassigned: 300 });
  });

  it("says a month with no samples for a cluster is all idle", async () => {
    const view = await getCosts({ actor: admin, query: { groupBy: "cluster", from: "2031-02-01", to: "2031-02-28" }, now, config });
    expect(totals(view)).toEqual({ idle: 4321 });
    expect(view.notes).toContain(`quiet-${suffix}: no namespace samples for any billed day, so all of its cost is idle.`);
  });

  it("takes a cluster's nodes from the node resource group ARM reported, a custom one included", async () => {
    const march = { from: "2031-03-01", to: "2031-03-31" };
    const byCluster = await getCosts({ actor: admin, query: { groupBy: "cluster", ...march }, now: new Date("2031-04-02T12:00:00Z"), config });
    expect(totals(byCluster)).toEqual({ [`custom-${suffix}`]: 2000 });
    const byTeam = await getCosts({ actor: admin, query: { groupBy: "team", ...march }, now: new Date("2031-04-02T12:00:00Z"), config });
    expect(totals(byTeam)).toEqual({ [slugA]: 2000 });
  });

  it("shows a team member their teams' figures only", async () => {
    const view = await getCosts({ actor: member, query: { groupBy: "namespace", from: "2031-01-01", to: "2031-01-31" }, now, config });
    expect(view.scope).toBe("teams");
    expect(totals(view)).toEqual({ [`prod-${suffix}/beta-api`]: 750 });
    expect(view.totalMinor).toBe(750);
  });

  it("refuses a viewer in no team", async () => {
    await expect(getCosts({ actor: viewer, query: {}, now, config })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("refuses a backwards range, one over a year and an unknown grouping, saying what to change", async () => {
    await expect(getCosts({ actor: admin, query: { from: "2031-02-01", to: "2031-01-01" }, now, config })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("Swap them"),
    });
    await expect(getCosts({ actor: admin, query: { from: "2029-01-01", to: "2031-01-01" }, now, config })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("longer than a year"),
    });
    await expect(getCosts({ actor: admin, query: { groupBy: "colour" as never }, now, config })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("team, namespace, cluster, service"),
    });
    await expect(getCosts({ actor: admin, query: { from: "2031-02-30" }, now, config })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("real calendar date"),
    });
  });

  it("reports the sync's last run, its error and the next run; defaults to this month so far", async () => {
    const view = await getCosts({ actor: admin, query: {}, now, config });
    expect([view.from, view.to]).toEqual(["2031-02-01", "2031-02-20"]);
    expect(view.sync.lastSyncedAt).toBe("2031-02-20T06:00:00.000Z");
    // Synced at 06:00 every 6 hours: due at 12:00 (5 minutes' slack), synced by the hourly check at 12:17.
    expect(view.sync.nextSyncAt).toBe("2031-02-20T12:17:00.000Z");
    expect(view.sync.lastError).toBe(`${scopeOf(subscriptionId)}: Cost Management answered 500`);
  });
});
