// Integration (embedded PostgreSQL): the stored allocation (decision 0035) gives a read exactly the figures that
// allocating the rows and samples at read time gives, for random clusters, namespaces, services, tags and bills,
// every grouping, an admin and a member, several ranges; and a refresh replaces the stored days atomically: a reader
// sees the old allocation while one runs, and still the old one when it fails half-way. Dates in 2033.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import type { UserActor } from "@/lib/auth/permissions";
import { getCosts } from "./get-costs";
import { costGroupings, daysBetween } from "./cost-report";
import { nodeResourceGroupOf, refreshCostAllocationNow } from "./cost-allocation";
import { scopeOf } from "./sync-costs";

const suffix = randomBytes(3).toString("hex");
const subscriptionId = `sub-alloc-${suffix}`;
const config = { azure: { subscriptionIds: [subscriptionId] }, costs: { syncHours: 6, sampleMinutes: 5 } } as unknown as Parameters<
  typeof getCosts
>[0]["config"];
const base = { kind: "user", userId: "u1", name: "T", email: "t@example.com" } as const;
const admin: UserActor = { ...base, isAdmin: true, teams: [] };
let member: UserActor;
const now = new Date("2033-04-30T12:00:00Z");
const days = daysBetween("2033-03-18", "2033-04-12");
const range = { from: days[0]!, to: days.at(-1)! };

/** A small seeded generator, so a failure can be replayed with its seed. */
function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}
const seed = Number(process.env.COST_ALLOCATION_SEED) || Date.now() % 1_000_000;

beforeAll(async () => {
  const prisma = getPrisma();
  const r = random(seed);
  const teams = await Promise.all(
    [0, 1, 2, 3].map((i) => prisma.team.create({ data: { slug: `al${i}${suffix}`, name: `Alloc ${i} ${suffix}`, entraGroupIds: [] } })),
  );
  member = { ...base, isAdmin: false, teams: [{ id: teams[1]!.id, slug: teams[1]!.slug, name: teams[1]!.name }] };
  const services = [0, 1, 2, 3, 4].map((i) => `als${i}${suffix}`);
  // Three of the five services are in the catalog (their owner takes cost tagged with the service only).
  await prisma.service.createMany({
    data: services.slice(0, 3).map((slug, i) => ({
      slug,
      displayName: `Service ${slug}`,
      ownerTeamId: teams[i % 4]!.id,
      tier: "standard",
      lifecycle: "production",
      tags: [],
      searchText: slug,
    })),
  });
  const clusters = await Promise.all(
    ["a", "b", "c"].map((name) =>
      prisma.cluster.create({
        data: {
          armId: `/subscriptions/${subscriptionId}/resourceGroups/rg-${suffix}/providers/Microsoft.ContainerService/managedClusters/al-${name}-${suffix}`,
          name: `al-${name}-${suffix}`,
          subscriptionId,
          resourceGroup: `rg-${suffix}`,
          location: "westeurope",
        },
      }),
    ),
  );
  const namespaces = ["shop", "api", "batch", "web", "kube-system", "gatekeeper-system"];
  const costRows: Prisma.CostRowCreateManyInput[] = [];
  const asOf = new Date("2033-04-13T04:00:00Z");
  const row = (day: string, resourceId: string, resourceGroup: string, cents: number, extra: { team?: string; service?: string; currency?: string } = {}) =>
    costRows.push({
      scope: scopeOf(subscriptionId),
      date: new Date(`${day}T00:00:00Z`),
      resourceId: resourceId.toLowerCase(),
      resourceGroup: resourceGroup.toLowerCase(),
      costMinor: BigInt(cents),
      currency: extra.currency ?? "EUR",
      asOf,
      team: extra.team,
      service: extra.service,
    });
  const samples: Prisma.NamespaceResourceHoursCreateManyInput[] = [];
  const serviceHours: Prisma.ServiceResourceHoursCreateManyInput[] = [];
  for (const day of days) {
    const date = new Date(`${day}T00:00:00Z`);
    for (const cluster of clusters) {
      if (r.next() < 0.1) continue; // no bill that day
      row(day, cluster.armId, cluster.resourceGroup, r.int(5_000));
      const nodeGroup = nodeResourceGroupOf(cluster);
      for (let pool = 0; pool < 1 + r.int(3); pool++)
        row(
          day,
          `/subscriptions/${subscriptionId}/resourcegroups/${nodeGroup}/providers/microsoft.compute/virtualmachinescalesets/p${pool}`,
          nodeGroup,
          r.int(60_000),
        );
      if (r.next() < 0.15) continue; // billed, never sampled: all idle
      for (const namespace of namespaces) {
        if (r.next() < 0.35) continue;
        const team = namespace.endsWith("system") ? null : r.next() < 0.15 ? null : r.pick(teams).id;
        samples.push({
          clusterId: cluster.id,
          namespace,
          day: date,
          teamId: team,
          cpuCoreHours: r.next() < 0.1 ? 0 : r.next() * 40,
          memoryGiBHours: r.next() * 120,
          sampledSeconds: 86_400,
          updatedAt: asOf,
        });
        for (const service of services) {
          if (r.next() < 0.6) continue;
          serviceHours.push({ clusterId: cluster.id, namespace, service, day: date, cpuCoreHours: r.next() * 10, memoryGiBHours: r.next() * 30 });
        }
      }
    }
    // Azure resources outside the clusters: tagged with a team, a service, both, or nothing.
    for (let k = 0; k < 4; k++) {
      const tags = r.pick([{}, { team: r.pick(teams).slug }, { service: r.pick(services) }, { team: r.pick(teams).slug, service: r.pick(services) }]);
      row(
        day,
        `/subscriptions/${subscriptionId}/resourcegroups/rg-tagged-${suffix}/providers/microsoft.cache/redis/r${k}`,
        `rg-tagged-${suffix}`,
        r.int(3_000),
        tags,
      );
    }
    // Now and then a row in another currency: counted apart, and the read says so.
    if (r.next() < 0.1)
      row(day, `/subscriptions/${subscriptionId}/resourcegroups/rg-usd-${suffix}/providers/microsoft.kv/vaults/v`, `rg-usd-${suffix}`, 700, {
        currency: "USD",
      });
  }
  await prisma.costRow.createMany({ data: costRows });
  await prisma.namespaceResourceHours.createMany({ data: samples });
  await prisma.serviceResourceHours.createMany({ data: serviceHours });
  await refreshCostAllocationNow(range);
});

const ranges = [range, { from: "2033-04-01", to: "2033-04-12" }, { from: "2033-03-25", to: "2033-03-25" }, { from: "2033-04-08", to: "2033-04-20" }];
const view = (actor: UserActor, groupBy: string, r: { from: string; to: string }, source: "stored" | "computed") =>
  getCosts({ actor, query: { groupBy, ...r }, now, config, source });

describe(`stored cost allocation (seed ${seed})`, () => {
  it("gives every grouping, viewer and range exactly the figures allocating at read time gives", async () => {
    let compared = 0;
    for (const groupBy of costGroupings) {
      for (const actor of [admin, member]) {
        for (const r of ranges) {
          const computed = await view(actor, groupBy, r, "computed");
          const stored = await view(actor, groupBy, r, "stored");
          expect(stored, `${groupBy} ${actor.isAdmin ? "admin" : "member"} ${r.from}..${r.to}`).toEqual(computed);
          compared += computed.lines.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
    // Not two empty views agreeing: an admin's view is the whole EUR bill of the range.
    const whole = await view(admin, "team", range, "stored");
    const billed = await getPrisma().costRow.aggregate({
      where: { scope: scopeOf(subscriptionId), currency: "EUR", date: { gte: new Date(`${range.from}T00:00:00Z`), lte: new Date(`${range.to}T00:00:00Z`) } },
      _sum: { costMinor: true },
    });
    expect(whole.totalMinor).toBe(Number(billed._sum.costMinor));
  });

  it("replaces a range atomically: readers see the old allocation while a refresh runs, and after one that fails", async () => {
    const before = await view(admin, "team", range, "stored");
    const day = "2033-04-02";
    const newTeam = `zz${suffix}`;
    // New cost on a day: a refresh of the range will store a cell for a team that has none yet.
    await getPrisma().costRow.create({
      data: {
        scope: scopeOf(subscriptionId),
        date: new Date(`${day}T00:00:00Z`),
        resourceId: `/subscriptions/${subscriptionId}/resourcegroups/rg-new-${suffix}/providers/microsoft.cache/redis/new`,
        resourceGroup: `rg-new-${suffix}`,
        team: newTeam,
        costMinor: 12_345n,
        currency: "EUR",
        asOf: new Date("2033-04-13T04:00:00Z"),
      },
    });
    const blocker = new pg.Client({ connectionString: process.env.DATABASE_URL });
    const watcher = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
    await watcher.connect();
    // Another transaction holds that very cell, uncommitted: the refresh's INSERT waits on it, after its DELETE.
    const holdCell = async () => {
      await blocker.query("BEGIN");
      await blocker.query(
        `INSERT INTO "CostAllocation" ("grouping", "currency", "day", "key", "apart", "team", "costMinor") VALUES ('team', 'EUR', $1, $2, NULL, $2, 1)`,
        [day, newTeam],
      );
    };
    const refreshWaiting = async () => {
      for (;;) {
        const { rows } = await watcher.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO "CostAllocation"%' AND pid <> $1`,
          [(blocker as unknown as { processID: number }).processID],
        );
        if (rows[0]!.n > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      // 1. The blocker commits: the refresh fails on the duplicate half-way, and rolls back whole.
      await holdCell();
      const failing = refreshCostAllocationNow(range);
      failing.catch(() => undefined);
      await refreshWaiting();
      expect(await view(admin, "team", range, "stored")).toEqual(before);
      await blocker.query("COMMIT");
      await expect(failing).rejects.toThrow();
      await watcher.query(`DELETE FROM "CostAllocation" WHERE "grouping" = 'team' AND "day" = $1 AND "key" = $2`, [day, newTeam]);
      expect(await view(admin, "team", range, "stored")).toEqual(before);

      // 2. The blocker rolls back: the same refresh completes, and readers see all of the new allocation at once.
      await holdCell();
      const completing = refreshCostAllocationNow(range);
      await refreshWaiting();
      expect(await view(admin, "team", range, "stored")).toEqual(before);
      await blocker.query("ROLLBACK");
      await completing;
      const after = await view(admin, "team", range, "stored");
      expect(after.totalMinor).toBe(before.totalMinor + 12_345);
      expect(after.lines.find((line) => line.key === newTeam)?.totalMinor).toBe(12_345);
      expect(after).toEqual(await view(admin, "team", range, "computed"));
    } finally {
      await blocker.end();
      await watcher.end();
    }
  });
});
