import type { CostBudgetView } from "@/lib/costs/cost-budget-view";

/**
 * A budget's state this month in a few words, with its text colour: over, a threshold reached, forecast over, within.
 * Judged on the figures shown, not only on the crossings notified: a budget set after the last sync's check shows
 * where the month stands at once. A run-rate forecast counts only once notified (it is judged from the third day).
 */
export function budgetState(budget: CostBudgetView): { word: string; tone: string; within: boolean } {
  const reached = (minor: number, threshold: number) => minor * 100 >= threshold * budget.amountMinor;
  const actual = [
    ...budget.crossed.filter((c) => c.kind === "actual").map((c) => c.threshold),
    ...budget.actualThresholds.filter((t) => reached(budget.actualMinor, t)),
  ];
  const highest = Math.max(0, ...actual);
  const forecastReached =
    budget.crossed.some((c) => c.kind === "forecast") ||
    (budget.forecastSource === "cost-management" && budget.forecastMinor !== null && budget.forecastThresholds.some((t) => reached(budget.forecastMinor!, t)));
  if (budget.actualMinor >= budget.amountMinor) return { word: "Over budget", tone: "text-destructive", within: false };
  if (highest > 0) return { word: `${highest} % reached`, tone: "text-warning", within: false };
  if (forecastReached) return { word: "Forecast over a threshold", tone: "text-warning", within: false };
  return { word: "Within budget", tone: "text-success", within: true };
}
