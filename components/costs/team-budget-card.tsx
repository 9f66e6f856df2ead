import Link from "next/link";
import { AlertTriangle, Info } from "lucide-react";
import { Card, CardTitle } from "@/components/ui/card";
import { formatMoney } from "@/lib/costs/money";
import type { TeamCostBudget } from "@/lib/costs/get-team-cost-budget";
import { budgetState } from "./budget-state";

/**
 * A team's cost this month against its budget, on the team page: month to date, the forecast (its part of Cost
 * Management's, or the run rate, said to be one, when none is stored), the budget and where the month stands, and a
 * link to set or change it for those who may (budget:manage).
 */
export function TeamBudgetCard({ figures }: { figures: TeamCostBudget }) {
  const money = (minor: number) => formatMoney(minor, figures.currency, figures.minorUnitDigits);
  const { budget } = figures;
  const state = budget && budgetState(budget);
  const setHref = `/costs?budgetTeam=${encodeURIComponent(figures.team)}#set-budget`;
  return (
    <Card aria-labelledby="team-budget-title" data-testid="team-budget">
      <CardTitle id="team-budget-title">Cost and budget, {figures.month}</CardTitle>
      {figures.currency === null ? (
        <p className="text-sm text-muted-foreground">No billed cost is stored yet: the cost sync reads Cost Management every few hours.</p>
      ) : (
        <dl className="grid gap-4 sm:grid-cols-3">
          <div>
            <dt className="text-sm text-muted-foreground">Month to date</dt>
            <dd className="text-2xl font-bold tabular-nums" data-testid="team-cost-month-to-date">
              {money(figures.actualMinor)}
            </dd>
            <dd className="text-xs text-muted-foreground">
              {figures.daysWithData === 0 ? "No day of this month reported yet." : `${figures.daysWithData} of ${figures.daysInMonth} days reported (UTC).`}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-muted-foreground">
              Forecast for the month{" "}
              {figures.forecastSource === "cost-management" ? "(Cost Management)" : figures.forecastSource === "run-rate" ? "(run rate)" : ""}
            </dt>
            <dd className="text-2xl font-bold tabular-nums" data-testid="team-cost-forecast">
              {figures.forecastMinor === null ? "—" : money(figures.forecastMinor)}
            </dd>
            <dd className="text-xs text-muted-foreground">{figures.forecastBasis}</dd>
          </div>
          <div>
            <dt className="text-sm text-muted-foreground">Monthly budget</dt>
            {budget ? (
              <>
                <dd className="text-2xl font-bold tabular-nums" data-testid="team-budget-amount">
                  {money(budget.amountMinor)}
                </dd>
                <dd className="text-xs text-muted-foreground">
                  {budget.actualPercent} % used
                  {budget.forecastPercent !== null ? `; forecast ${budget.forecastPercent} %` : ""}. Alerts at {budget.actualThresholds.join(", ")} % of actual
                  {budget.forecastThresholds.length > 0 ? `, ${budget.forecastThresholds.join(", ")} % of forecast` : ""}.
                </dd>
              </>
            ) : (
              <dd className="text-sm">No budget is set for {figures.teamName}.</dd>
            )}
          </div>
        </dl>
      )}
      {budget && state && (
        <div className="mt-4 space-y-2">
          <div
            className="h-2 w-full overflow-hidden rounded-full bg-muted"
            role="meter"
            aria-label="Budget used"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.min(100, budget.actualPercent)}
            aria-valuetext={`${budget.actualPercent} % of the budget used`}
          >
            <div
              className={budget.actualMinor >= budget.amountMinor ? "h-full bg-destructive" : state.within ? "h-full bg-success" : "h-full bg-warning"}
              style={{ width: `${Math.min(100, budget.actualPercent)}%` }}
            />
          </div>
          <p className={`flex items-center gap-1 text-sm font-medium ${state.tone}`}>
            {state.within ? <Info className="h-4 w-4" aria-hidden /> : <AlertTriangle className="h-4 w-4" aria-hidden />}
            {state.word}
          </p>
          {budget.crossed.length > 0 && (
            <p className="text-xs text-muted-foreground">
              Crossed this month and notified:{" "}
              {budget.crossed.map((c) => `${c.threshold} % of ${c.kind} (${money(c.costMinor)}, ${c.crossedAt.slice(0, 10)})`).join("; ")}.
            </p>
          )}
          <p className="text-xs text-muted-foreground">
            Set by {budget.updatedByName} on {budget.updatedAt.slice(0, 10)}.
          </p>
        </div>
      )}
      <p className="mt-4 text-sm">
        {figures.canManage ? (
          <Link className="text-primary underline" href={setHref}>
            {budget ? "Change the budget" : "Set a budget"}
          </Link>
        ) : budget ? null : (
          <span className="text-muted-foreground">A member of the team or a platform admin can set one.</span>
        )}
        {figures.currency !== null && (
          <>
            {figures.canManage || !budget ? " · " : ""}
            <Link className="text-primary underline" href="/costs?groupBy=team">
              Cost by team
            </Link>
          </>
        )}
      </p>
    </Card>
  );
}
