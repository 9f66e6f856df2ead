import type { CostBudgetView } from "@/lib/costs/cost-budget-view";

/** A budget's state this month in a few words, with its text colour: over, a threshold reached, forecast over, within. */
export function budgetState(budget: CostBudgetView): { word: string; tone: string; within: boolean } {
  const actual = budget.crossed.filter((c) => c.kind === "actual").map((c) => c.threshold);
  const highest = Math.max(0, ...actual);
  if (budget.actualMinor >= budget.amountMinor) return { word: "Over budget", tone: "text-red-700 dark:text-red-300", within: false };
  if (highest > 0) return { word: `${highest} % reached`, tone: "text-amber-700 dark:text-amber-300", within: false };
  if (budget.crossed.some((c) => c.kind === "forecast"))
    return { word: "Forecast over a threshold", tone: "text-amber-700 dark:text-amber-300", within: false };
  return { word: "Within budget", tone: "text-emerald-700 dark:text-emerald-300", within: true };
}
