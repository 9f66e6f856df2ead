// Integration (embedded PostgreSQL): a service handed to another team marks this month and last for re-allocation
// in the catalog edit's transaction, and the next run of the stale refresh moves the cost of Azure resources tagged
// with that service only to the new owner, as allocating at read time would (decision 0042). Today's month: the
// marks are the current and previous month.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { updateService } from "@/lib/catalog/update-service";
import { getCosts } from "./get-costs";
import { refreshCostAllocationNow } from "./cost-allocation";
import { refreshStaleCostAllocation } from "./stale-cost-allocation";
import { monthOf } from "./sync-plan";

const suffix = randomBytes(3).toString("hex");
const subscriptionId = `sub-stale-${suffix}`;
const config = { azure: { subscriptionIds: [subscriptionId] }, costs: { syncHours: 6, sampleMinutes: 5 } } as unknown as Parameters<
  typeof getCosts
>[0]["config"];
const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada", email: "a@example.com", isAdmin: true, teams: [] };
const service = `stl${suffix}`;
const day = `${monthOf(new Date())}-01`;
let from: string;
let to: string;

const teamLines = async (source: "stored" | "computed") => {
  const view = await getCosts({ actor: admin, query: { groupBy: "team", from: day, to: day }, config, source });
  return Object.fromEntries(view.lines.filter((line) => line.key === from || line.key === to).map((line) => [line.key, line.totalMinor]));
};

beforeAll(async () => {
  const prisma = getPrisma();
  const [a, b] = await Promise.all(
    ["a", "b"].map((k) => prisma.team.create({ data: { slug: `st${k}${suffix}`, name: `Stale ${k} ${suffix}`, entraGroupIds: [] } })),
  );
  from = a!.slug;
  to = b!.slug;
  await prisma.service.create({
    data: { slug: service, displayName: "Stale", ownerTeamId: a!.id, tier: "standard", lifecycle: "production", tags: [], searchText: service },
  });
  // A Redis tagged with the service only: its owner team takes it.
  await prisma.costRow.create({
    data: {
      scope: `subscriptions/${subscriptionId}`,
      date: new Date(`${day}T00:00:00Z`),
      resourceId: `/subscriptions/${subscriptionId}/resourcegroups/rg-${suffix}/providers/microsoft.cache/redis/r`,
      resourceGroup: `rg-${suffix}`,
      service,
      costMinor: 777n,
      currency: "EUR",
      asOf: new Date(),
    },
  });
  await refreshCostAllocationNow({ from: day, to: day });
});

describe("stale cost allocation", () => {
  it("moves a service's tagged cost to its new owner team once the marked months are re-allocated", async () => {
    expect(await teamLines("stored")).toEqual({ [from]: 777 });
    const current = await getPrisma().service.findUniqueOrThrow({ where: { slug: service } });
    await updateService({
      actor: admin,
      slug: service,
      input: {
        displayName: current.displayName,
        description: current.description,
        ownerTeam: to,
        repositoryUrl: current.repositoryUrl,
        language: current.language,
        tier: current.tier as "standard",
        lifecycle: current.lifecycle as "production",
        tags: current.tags,
        links: {},
        dependencies: [],
        appInsightsRoleName: null,
        deploySpec: null,
      },
    });
    const marks = await getPrisma().$queryRaw<{ month: string; reason: string }[]>`
      SELECT to_char("month", 'YYYY-MM') AS "month", "reason" FROM "CostAllocationStale" ORDER BY "month"`;
    expect(marks.map((m) => m.month)).toEqual(expect.arrayContaining([monthOf(new Date(), -1), monthOf(new Date())]));
    expect(marks.find((m) => m.month === monthOf(new Date()))?.reason).toContain(service);
    // Until the refresh runs the stored figures are the old ones; allocating now already says the new owner.
    expect(await teamLines("stored")).toEqual({ [from]: 777 });
    expect(await teamLines("computed")).toEqual({ [to]: 777 });

    const refreshed = await refreshStaleCostAllocation();
    expect(refreshed.months).toEqual(expect.arrayContaining([monthOf(new Date(), -1), monthOf(new Date())]));
    expect(await teamLines("stored")).toEqual({ [to]: 777 });
    expect(await getPrisma().$queryRaw<unknown[]>`SELECT 1 FROM "CostAllocationStale"`).toEqual([]);
    // Nothing marked: nothing to do.
    expect(await refreshStaleCostAllocation()).toEqual({ months: [] });
  });
});
