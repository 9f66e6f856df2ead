// A team's cost this month against its budget, for the team page (issue 14
// item 4): the month to date as /costs by team shows it, the forecast for the
// month (its part of Cost Management's forecast, or the run rate when none is
// stored: decision 0048), the
// budget with the thresholds crossed when there is one, and whether the viewer
// may set or change it (budget:manage). For those who may read the team's cost
// (cost:read: its members and admins).
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { minorUnitDigits } from "./cluster-bill";
import { daysInMonth } from "./budget-status";
import { budgetSelect, budgetViews, currentBillCurrency, teamForecasts, teamMonthFigures, type CostBudgetView } from "./cost-budget-view";
import { monthOf } from "./sync-plan";

export interface TeamCostBudget {
  team: string;
  teamName: string;
  /** yyyy-mm (UTC). */
  month: string;
  /** The budget's currency when there is one, else the bill's; null before any cost is stored. */
  currency: string | null;
  minorUnitDigits: number;
  actualMinor: number;
  /** Its part of Cost Management's forecast (or the run rate when none is stored); null before any data this month. */
  forecastMinor: number | null;
  forecastSource: CostBudgetView["forecastSource"];
  forecastAsOf: string | null;
  forecastBasis: string;
  daysWithData: number;
  daysInMonth: number;
  budget: CostBudgetView | null;
  /** The viewer may set or change the budget (budget:manage; an archived team has none). */
  canManage: boolean;
}

export async function getTeamCostBudget({ actor, slug, now = new Date() }: { actor: Actor; slug: string; now?: Date }): Promise<TeamCostBudget> {
  const prisma = getPrisma();
  const team = await prisma.team.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, archivedAt: true } });
  if (!team) throw new AppError("not_found", `There is no team "${slug}".`);
  if (!can(actor, "cost:read", { teamId: team.id })) throw forbidden("cost:read");
  const month = monthOf(now);
  const canManage = can(actor, "budget:manage", { teamId: team.id }) && team.archivedAt === null;
  const budget = await prisma.costBudget.findUnique({ where: { teamId: team.id }, select: budgetSelect });
  if (budget) {
    const [view] = await budgetViews(prisma, [budget], month);
    return {
      team: team.slug,
      teamName: team.name,
      month,
      currency: view!.currency,
      minorUnitDigits: view!.minorUnitDigits,
      actualMinor: view!.actualMinor,
      forecastMinor: view!.forecastMinor,
      forecastSource: view!.forecastSource,
      forecastAsOf: view!.forecastAsOf,
      forecastBasis: view!.forecastBasis,
      daysWithData: view!.daysWithData,
      daysInMonth: view!.daysInMonth,
      budget: view!,
      canManage,
    };
  }
  const [currency, { actuals, reported }] = await Promise.all([currentBillCurrency(prisma, now), teamMonthFigures(prisma, [team.slug], month)]);
  const actualMinor = actuals.find((a) => a.currency === currency)?.cents ?? 0;
  const daysWithData = reported.find((r) => r.currency === currency)?.day ?? 0;
  const forecast = currency ? (await teamForecasts(prisma, month, [currency])).get(currency)!.forecastOf(team.slug, actualMinor) : null;
  return {
    team: team.slug,
    teamName: team.name,
    month,
    currency,
    minorUnitDigits: currency ? minorUnitDigits(currency) : 2,
    actualMinor,
    forecastMinor: forecast?.forecastMinor ?? null,
    forecastSource: forecast?.source ?? null,
    forecastAsOf: forecast?.asOf ?? null,
    forecastBasis: forecast?.basis ?? "No cost reported yet.",
    daysWithData,
    daysInMonth: daysInMonth(month),
    budget: null,
    canManage,
  };
}
