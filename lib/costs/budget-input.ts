// What a team's monthly budget is set with, for the API (JSON numbers) and the
// /costs form (text): an amount in the bill's currency, more than 0, and the
// percentages of it at which the team is told, of the month's actual cost and
// of its forecast. Text that is not a number is refused with what to type.
import { z } from "zod";

export const maxThresholdPercent = 1000;
const maxThresholds = 10;

/** A number typed as text ("1500.50", "80") becomes that number; anything else stays, for zod to refuse. */
const numeric = (value: unknown) => (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value);
/** "80, 100" or "80 100" from a form; an array from JSON; empty text is no thresholds. */
const list = (value: unknown) =>
  typeof value === "string"
    ? value
        .split(/[\s,;]+/)
        .filter(Boolean)
        .map(numeric)
    : value;

const threshold = (what: string) =>
  z.preprocess(
    numeric,
    z
      .number({ error: `Each ${what} threshold is a percentage of the budget as a number, such as 80.` })
      .int(`Each ${what} threshold is a whole percentage, such as 80 or 100.`)
      .min(1, `A ${what} threshold is at least 1 % of the budget.`)
      .max(maxThresholdPercent, `A ${what} threshold is at most ${maxThresholdPercent} % of the budget; use a smaller percentage.`),
  );

const thresholds = (what: string, fallback: number[]) =>
  z
    .preprocess(list, z.array(threshold(what), { error: `${what}Thresholds is a list of percentages, such as [80, 100].` }))
    .pipe(
      z
        .array(z.number())
        .max(maxThresholds, `At most ${maxThresholds} ${what} thresholds.`)
        .transform((values) => [...new Set(values)].sort((a, b) => a - b)),
    )
    .default(fallback);

export const budgetInput = z.object({
  amount: z
    .preprocess(
      numeric,
      z
        .number({ error: "amount is the monthly budget as a number in the bill's currency, such as 1500 or 1500.50." })
        .positive("amount must be more than 0: a budget of 0 or less would be crossed every month.")
        .max(1e12, "amount is too large; give the monthly budget in the bill's currency, such as 1500."),
    )
    .describe("The monthly budget in the bill's currency (major units, e.g. 1500.50 EUR)."),
  actualThresholds: thresholds("actual", [50, 80, 100]).describe(
    "Percentages of the budget (1–1000) at which the team and the platform admins are told about the month's actual cost; [50, 80, 100] when absent.",
  ),
  forecastThresholds: thresholds("forecast", [50, 80, 100]).describe(
    "Percentages of the budget (1–1000) at which the team and the platform admins are told about the month's forecast " +
      "(the team's part of Cost Management's forecast; the run rate when none is stored); [50, 80, 100] when absent.",
  ),
});

export type BudgetInput = z.input<typeof budgetInput>;
