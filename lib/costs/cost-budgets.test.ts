// Integration (embedded PostgreSQL): a team's monthly budget — refused with what to change for bad amounts and
// thresholds, set by a member of the team or an admin and audited, in the bill's currency; a sync's check notifies
// the team's members and the platform admins once per threshold per month, of actual cost and of the forecast: the
// run rate while no forecast of Cost Management's is stored (May), the team's share of it once one is (July).
// Dates in 2034.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { refreshCostAllocationNow } from "./cost-allocation";
import { setCostBudget } from "./set-cost-budget";
import { deleteCostBudget } from "./delete-cost-budget";
import { listCostBudgets } from "./list-cost-budgets";
import { checkCostBudgets } from "./check-cost-budgets";
import { budgetStatus } from "./budget-status";
import { getTeamCostBudget } from "./get-team-cost-budget";
import { refreshForecastShares } from "./store-cost-forecast";
import { getCosts } from "./get-costs";

const suffix = randomBytes(3).toString("hex");
const group = `grp-budget-${suffix}`;
const base = { kind: "user", name: "T", email: "t@example.com" } as const;
const admin: UserActor = { ...base, userId: "00000000-0000-4000-8000-000000000001", isAdmin: true, teams: [] };
let member: UserActor;
let outsider: UserActor;
let teamId: string;
const slug = `bud${suffix}`;
const memberIds: string[] = [];
let adminId: string;
const scope = `subscriptions/budget-${suffix}`;
const now = new Date("2034-05-10T12:00:00Z");

async function addCost(day: string, cents: number, resource: string, team = slug) {
  await getPrisma().costRow.create({
    data: {
      scope,
      date: new Date(`${day}T00:00:00Z`),
      resourceId: `/subscriptions/budget-${suffix}/resourcegroups/rg-${slug}/providers/microsoft.cache/redis/${resource}`,
      resourceGroup: `rg-${slug}`,
      team,
      costMinor: BigInt(cents),
      currency: "CHF",
      asOf: now,
    },
  });
  await refreshCostAllocationNow({ from: day, to: day });
}

const notificationsOf = (userId: string) => getPrisma().notification.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug, name: `Budget ${suffix}`, entraGroupIds: [group] } });
  const other = await prisma.team.create({ data: { slug: `oth${suffix}`, name: `Other ${suffix}`, entraGroupIds: [] } });
  teamId = team.id;
  for (const name of ["Ada", "Bo"]) {
    const user = await prisma.user.create({
      data: {
        entraObjectId: randomBytes(8).toString("hex"),
        tenantId: "t",
        name,
        email: `${name}-${suffix}@example.com`,
        groupIds: [group],
        appRoles: [],
        lastSignInAt: now,
      },
    });
    memberIds.push(user.id);
  }
  const platformAdmin = await prisma.user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Admin",
      email: `admin-${suffix}@example.com`,
      groupIds: [],
      appRoles: [getConfig().identity.adminAppRole],
      lastSignInAt: now,
    },
  });
  adminId = platformAdmin.id;
  member = { ...base, userId: memberIds[0]!, isAdmin: false, teams: [{ id: team.id, slug, name: team.name }] };
  outsider = { ...base, userId: "00000000-0000-4000-8000-000000000002", isAdmin: false, teams: [{ id: other.id, slug: other.slug, name: other.name }] };
  // Nine days of May at 50.00 CHF a day, tagged with the team: 450.00 so far.
  for (let d = 1; d <= 9; d++) await addCost(`2034-05-0${d}`, 5_000, "r1");
});

describe("cost budgets", () => {
  it("refuses a negative, zero or text amount and a threshold over 1000 % or in words, saying what to change", async () => {
    const refused = (input: Record<string, unknown>) => setCostBudget({ actor: member, team: slug, input: input as never, now });
    await expect(refused({ amount: -5 })).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("more than 0") });
    await expect(refused({ amount: 0 })).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("more than 0") });
    await expect(refused({ amount: "lots" })).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("as a number") });
    await expect(refused({ amount: 100, actualThresholds: [80, 1200] })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("at most 1000 %"),
    });
    await expect(refused({ amount: 100, forecastThresholds: "eighty" })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("as a number, such as 80"),
    });
    await expect(refused({ amount: 100.123 })).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("more decimals than CHF") });
    expect(await getPrisma().costBudget.findUnique({ where: { teamId } })).toBeNull();
  });

  it("shows the team page its month to date and run-rate forecast, says there is no budget, and is refused to another team", async () => {
    expect(await getTeamCostBudget({ actor: member, slug, now })).toMatchObject({
      team: slug,
      month: "2034-05",
      currency: "CHF",
      minorUnitDigits: 2,
      actualMinor: 45_000,
      daysWithData: 9,
      daysInMonth: 31,
      forecastMinor: 155_000,
      budget: null,
      canManage: true,
    });
    expect((await getTeamCostBudget({ actor: admin, slug, now })).canManage).toBe(true);
    await expect(getTeamCostBudget({ actor: outsider, slug, now })).rejects.toMatchObject({ code: "forbidden" });
    await expect(getTeamCostBudget({ actor: admin, slug: "no-such-team", now })).rejects.toMatchObject({ code: "not_found" });
  });

  it("lets a member of the team (and an admin) set it, not another team's member; in the bill's currency, audited", async () => {
    await expect(setCostBudget({ actor: outsider, team: slug, input: { amount: 1 }, now })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setCostBudget({ actor: member, team: "no-such-team", input: { amount: 1 }, now })).rejects.toMatchObject({ code: "not_found" });
    // Text from the form is read as numbers.
    const view = await setCostBudget({ actor: member, team: slug, input: { amount: "1000", actualThresholds: "100, 80", forecastThresholds: "100" }, now });
    expect(view).toMatchObject({
      team: slug,
      currency: "CHF",
      amountMinor: 100_000,
      actualThresholds: [80, 100],
      forecastThresholds: [100],
      actualMinor: 45_000,
      daysWithData: 9,
      daysInMonth: 31,
      forecastMinor: 155_000,
      crossed: [],
    });
    expect(view.forecastBasis).toContain("run rate");
    const audit = await getPrisma().auditEvent.findFirst({ where: { action: "cost.budget.set", resourceId: teamId }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ outcome: "success", after: { amountMinor: 100_000, currency: "CHF" } });
    const list = await listCostBudgets({ actor: outsider, now });
    expect(list.budgets.map((b) => b.team)).not.toContain(slug);
    expect((await listCostBudgets({ actor: member, now })).manageable).toEqual([{ team: slug, teamName: `Budget ${suffix}`, hasBudget: true }]);
    // The team page shows the budget, with the same figures as /costs.
    const page = await getTeamCostBudget({ actor: member, slug, now });
    expect(page).toMatchObject({ actualMinor: 45_000, forecastMinor: 155_000, canManage: true, budget: { amountMinor: 100_000, currency: "CHF" } });
    expect(page.budget).toEqual((await listCostBudgets({ actor: member, now })).budgets.find((b) => b.team === slug));
  });

  it("notifies the team's members and the platform admins once per threshold per month, of the forecast and of actual cost", async () => {
    // 450.00 of 1000.00 after 9 days: the forecast (1550.00) crosses 100 %; actual crosses nothing.
    const first = await checkCostBudgets(now);
    // The two members and every platform admin (this file's, and any other test file's).
    expect(first.crossed).toBe(1);
    expect(first.notified).toBeGreaterThanOrEqual(3);
    for (const id of [...memberIds, adminId]) {
      const notes = await notificationsOf(id);
      expect(notes.map((n) => n.message)).toEqual([expect.stringMatching(/on course for 100 % of its budget: CHF\s?1,550\.00 of CHF\s?1,000\.00/)]);
    }
    expect(await checkCostBudgets(now)).toMatchObject({ crossed: 0, notified: 0 });

    // A day of 400.00: 850.00, over 80 % of actual.
    await addCost("2034-05-10", 40_000, "r2");
    expect(await checkCostBudgets(now)).toMatchObject({ crossed: 1, notified: first.notified });
    // 1000.00 exactly: 100 % is reached at its cent.
    await addCost("2034-05-10", 15_000, "r3");
    expect(await checkCostBudgets(now)).toMatchObject({ crossed: 1, notified: first.notified });
    expect(await checkCostBudgets(now)).toMatchObject({ crossed: 0 });
    const messages = (await notificationsOf(memberIds[1]!)).map((n) => n.message);
    expect(messages).toHaveLength(3);
    expect(messages[1]).toMatch(/reached 80 % of its budget/);
    expect(messages[2]).toMatch(/reached 100 % of its budget/);
    expect((await notificationsOf(adminId)).map((n) => n.message)).toEqual(messages);

    const [budget] = (await listCostBudgets({ actor: member, now })).budgets;
    expect(budget!.crossed.map((c) => `${c.kind} ${c.threshold}`)).toEqual(["actual 80", "actual 100", "forecast 100"]);
    // Next month starts again.
    expect(await checkCostBudgets(new Date("2034-06-02T00:00:00Z"))).toMatchObject({ crossed: 0 });
  });

  it("is removed by a member; a second removal is a 404", async () => {
    await expect(deleteCostBudget({ actor: outsider, team: slug })).rejects.toMatchObject({ code: "forbidden" });
    expect(await deleteCostBudget({ actor: admin, team: slug })).toEqual({ team: slug, removed: true });
    expect((await getTeamCostBudget({ actor: member, slug, now })).budget).toBeNull();
    await expect(deleteCostBudget({ actor: member, team: slug })).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("a team's forecast from Cost Management's", () => {
  const july = new Date("2034-07-04T12:00:00Z");
  const other = `oth${suffix}`;

  it("is its share of each subscription's month to date × the subscription's forecast, to the cent; with none stored, the run rate", async () => {
    // Three days of July: the team 30.00 + 30.00 + 30.01 a day's worth, the other team half as much: 90.01 and 45.00.
    await addCost("2034-07-01", 3_000, "j1");
    await addCost("2034-07-02", 3_000, "j1");
    await addCost("2034-07-03", 3_001, "j1");
    await addCost("2034-07-01", 4_500, "k1", other);
    // Without thresholds: 50, 80 and 100 % of actual and of forecast (issue 14).
    const set = await setCostBudget({ actor: admin, team: slug, input: { amount: "1000" }, now: july });
    expect(set).toMatchObject({ actualThresholds: [50, 80, 100], forecastThresholds: [50, 80, 100] });
    await refreshForecastShares(getPrisma(), scope, "2034-07");
    // No forecast of Cost Management's stored: the run rate, said so, and no forecast threshold before the third day's rule.
    const runRate = await getTeamCostBudget({ actor: member, slug, now: july });
    expect(runRate).toMatchObject({ actualMinor: 9_001, forecastSource: "run-rate", forecastMinor: Math.round((9_001 * 31) / 3) });
    expect(runRate.forecastBasis).toMatch(/run rate, not Cost Management's forecast/);

    // Cost Management forecasts the subscription's month at 1,000.01.
    await getPrisma().costForecast.create({
      data: { scope, month: "2034-07", status: "forecast", currency: "CHF", actualMinor: 13_501, totalMinor: 100_001, asOf: july },
    });
    await refreshForecastShares(getPrisma(), scope, "2034-07");
    const shares = await getPrisma().costForecastShare.findMany({ where: { scope, month: "2034-07", grouping: "team" } });
    expect(shares.reduce((sum, share) => sum + Number(share.forecastMinor), 0)).toBe(100_001);
    // 9,001 of 13,501 of 100,001 cents is 66,669.6…: the largest remainder takes the odd cent.
    expect(shares.find((share) => share.key === slug)).toMatchObject({ actualMinor: 9_001n, forecastMinor: 66_670n });
    expect(shares.find((share) => share.key === other)).toMatchObject({ actualMinor: 4_500n, forecastMinor: 33_331n });

    const page = await getTeamCostBudget({ actor: member, slug, now: july });
    expect(page).toMatchObject({ forecastMinor: 66_670, forecastSource: "cost-management", forecastAsOf: july.toISOString() });
    expect(page.forecastBasis).toMatch(new RegExp(`Cost Management's forecast .*${scope}: 66\\.7 %`));
    expect(page.budget).toMatchObject({ forecastMinor: 66_670, forecastPercent: 66.7, forecastSource: "cost-management" });

    // /costs: the subscription's forecast for admins, each line's part of it, the lines adding up to it.
    const view = await getCosts({
      actor: admin,
      query: { groupBy: "team", from: "2034-07-01", to: "2034-07-04" },
      now: july,
      config: { azure: { ...getConfig().azure, subscriptionIds: [`budget-${suffix}`] }, costs: getConfig().costs },
    });
    expect(view.forecast).toMatchObject({ month: "2034-07", source: "cost-management", totalMinor: 100_001, asOf: july.toISOString() });
    expect(view.lines.find((line) => line.key === slug)?.forecastMinor).toBe(66_670);
    expect(view.lines.find((line) => line.key === other)?.forecastMinor).toBe(33_331);
    const mine = await getCosts({ actor: member, query: { groupBy: "team", from: "2034-07-01", to: "2034-07-04" }, now: july });
    expect(mine.forecast.totalMinor).toBe(66_670);
  });

  it("notifies the team and the platform admins of a forecast threshold once per month, without waiting for the third day", async () => {
    const check = await checkCostBudgets(july);
    // 666.70 of 1,000.00: the forecast crosses 50 %, not 100 %; actual (90.01) crosses nothing.
    expect(check.crossed).toBe(1);
    expect(check.notified).toBeGreaterThanOrEqual(3);
    for (const id of [...memberIds, adminId]) {
      const notes = (await notificationsOf(id)).filter((n) => n.message.includes("2034-07"));
      expect(notes.map((n) => n.message)).toEqual([
        expect.stringMatching(/on course for 50 % of its budget: CHF\s?666\.70 of CHF\s?1,000\.00 by its share of Cost Management's forecast/),
      ]);
    }
    expect(await checkCostBudgets(july)).toMatchObject({ crossed: 0, notified: 0 });
    expect(await checkCostBudgets(new Date("2034-07-20T00:00:00Z"))).toMatchObject({ crossed: 0 });
  });
});

describe("budgetStatus", () => {
  it("projects the month-to-date run rate and judges forecast thresholds from the third day", () => {
    const figures = { month: "2034-02", amountMinor: 1000, actualThresholds: [50, 100], forecastThresholds: [100] };
    expect(budgetStatus({ ...figures, actualMinor: 500, daysWithData: 14 })).toMatchObject({
      daysInMonth: 28,
      forecastMinor: 1000,
      crossedActual: [50],
      crossedForecast: [100],
    });
    expect(budgetStatus({ ...figures, actualMinor: 400, daysWithData: 2 })).toMatchObject({ forecastMinor: 5600, crossedForecast: [] });
    expect(budgetStatus({ ...figures, actualMinor: 0, daysWithData: 0 })).toMatchObject({ forecastMinor: null, forecastPercent: null, crossedActual: [] });
  });
});
