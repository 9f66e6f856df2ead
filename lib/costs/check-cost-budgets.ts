// After a sync: each team's month against its budget. A threshold the month's
// actual cost (or its forecast: the team's part of Cost Management's forecast,
// the run rate only when none is stored, decision 0048) has reached is
// recorded once per team, month, kind and threshold; the first time, the
// team's members (users in the team's Entra groups as of their last sign-in)
// and the platform admins are notified in the same transaction, so a crossing
// is never recorded without its notification nor notified twice.
import { getPrisma } from "@/lib/db/client";
import { notifyTeamAndAdmins } from "@/lib/notifications/notify";
import { formatMoney } from "./money";
import { monthOf } from "./sync-plan";
import { budgetSelect, budgetViews } from "./cost-budget-view";
import { minForecastDays } from "./budget-status";

export interface BudgetCheck {
  budgets: number;
  /** Thresholds crossed for the first time this month. */
  crossed: number;
  notified: number;
}

export async function checkCostBudgets(now = new Date()): Promise<BudgetCheck> {
  const prisma = getPrisma();
  const month = monthOf(now);
  const budgets = await prisma.costBudget.findMany({ where: { team: { archivedAt: null } }, select: budgetSelect });
  const views = await budgetViews(prisma, budgets, month);
  let crossed = 0;
  let notified = 0;
  for (const view of views) {
    const budget = budgets.find((b) => b.team.slug === view.team)!;
    const reached = [
      ...view.actualThresholds.filter((t) => view.actualMinor * 100 >= t * view.amountMinor).map((threshold) => ({ kind: "actual" as const, threshold })),
      ...(view.forecastMinor === null || (view.forecastSource !== "cost-management" && view.daysWithData < minForecastDays)
        ? []
        : view.forecastThresholds
            .filter((t) => view.forecastMinor! * 100 >= t * view.amountMinor)
            .map((threshold) => ({ kind: "forecast" as const, threshold }))),
    ].filter((r) => !view.crossed.some((c) => c.kind === r.kind && c.threshold === r.threshold));
    if (reached.length === 0) continue;
    const money = (minor: number) => formatMoney(minor, view.currency, view.minorUnitDigits);
    await prisma.$transaction(async (tx) => {
      const team = await tx.team.findUniqueOrThrow({ where: { id: budget.teamId }, select: { entraGroupIds: true } });
      for (const { kind, threshold } of reached) {
        const costMinor = kind === "actual" ? view.actualMinor : view.forecastMinor!;
        const inserted = await tx.$queryRaw<{ id: bigint }[]>`
          INSERT INTO "CostBudgetAlert" ("teamId", "month", "kind", "threshold", "costMinor", "budgetMinor", "currency", "crossedAt")
          VALUES (${budget.teamId}::uuid, ${month}, ${kind}, ${threshold}, ${costMinor}, ${view.amountMinor}, ${view.currency}, ${now})
          ON CONFLICT ("teamId", "month", "kind", "threshold") DO NOTHING RETURNING "id"`;
        if (inserted.length === 0) continue;
        crossed += 1;
        const message =
          kind === "actual"
            ? `${view.teamName}'s cost for ${month} reached ${threshold} % of its budget: ${money(costMinor)} of ${money(view.amountMinor)} so far.`
            : `${view.teamName}'s cost for ${month} is on course for ${threshold} % of its budget: ${money(costMinor)} of ${money(view.amountMinor)} ` +
              (view.forecastSource === "cost-management"
                ? "by its share of Cost Management's forecast for the month."
                : `at the month-to-date run rate (${view.daysWithData} of ${view.daysInMonth} days; no Cost Management forecast stored).`);
        notified += await notifyTeamAndAdmins(
          tx,
          { teamGroupIds: team.entraGroupIds, exceptUserId: null },
          { message, link: `/costs?groupBy=team#budget-${view.team}` },
        );
      }
    });
  }
  return { budgets: budgets.length, crossed, notified };
}
