// A budget's state in words: judged on the figures shown, so a budget set after the last check already says where
// the month stands; a run-rate forecast only once notified.
import { describe, expect, it } from "vitest";
import type { CostBudgetView } from "@/lib/costs/cost-budget-view";
import { budgetState } from "./budget-state";

const budget = (figures: Partial<CostBudgetView>): CostBudgetView => ({
  team: "payments",
  teamName: "Payments",
  month: "2034-05",
  currency: "EUR",
  minorUnitDigits: 2,
  amountMinor: 100_000,
  actualThresholds: [50, 80, 100],
  forecastThresholds: [50, 80, 100],
  actualMinor: 10_000,
  actualPercent: 10,
  forecastMinor: 40_000,
  forecastPercent: 40,
  forecastSource: "cost-management",
  forecastAsOf: null,
  forecastBasis: "",
  daysWithData: 5,
  daysInMonth: 31,
  crossed: [],
  updatedAt: "2034-05-01T00:00:00.000Z",
  updatedByName: "T",
  ...figures,
});

describe("budgetState", () => {
  it("says within, a forecast over a threshold, an actual threshold reached, over budget", () => {
    expect(budgetState(budget({})).word).toBe("Within budget");
    expect(budgetState(budget({ forecastMinor: 83_500 })).word).toBe("Forecast over a threshold");
    // A run rate is judged only once the check notified it (from the third day).
    expect(budgetState(budget({ forecastMinor: 83_500, forecastSource: "run-rate" })).word).toBe("Within budget");
    expect(budgetState(budget({ actualMinor: 80_000 })).word).toBe("80 % reached");
    expect(budgetState(budget({ actualMinor: 100_000 })).word).toBe("Over budget");
  });
});
