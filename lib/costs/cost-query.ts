// The one schema for what a cost view is asked for: the API's query string
// and the /costs page's URL. Dates are UTC days; a range runs backwards or
// past a year only by mistake, so both are refused with what to change.
import { z } from "zod";
import { costGroupings } from "./cost-report";

const isoDay = z
  .string({ error: "a date as YYYY-MM-DD" })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD, such as 2026-03-01")
  .refine(
    (text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text),
    "a real calendar date as YYYY-MM-DD",
  );

export const maxRangeDays = 366;

export const costQuery = z
  .object({
    groupBy: z
      .enum(costGroupings, { error: `groupBy must be one of ${costGroupings.join(", ")}.` })
      .default("team")
      .describe("What the lines are: team, namespace, cluster or service."),
    from: isoDay.optional().describe("First day, YYYY-MM-DD (UTC); the first of this month when absent."),
    to: isoDay.optional().describe("Last day, YYYY-MM-DD (UTC), inclusive; today when absent."),
  })
  .superRefine((query, ctx) => {
    if (!query.from || !query.to) return;
    if (query.to < query.from)
      ctx.addIssue({ code: "custom", path: ["to"], message: `The range runs backwards: to (${query.to}) is before from (${query.from}). Swap them.` });
    else if ((Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1 > maxRangeDays) {
      ctx.addIssue({ code: "custom", path: ["to"], message: `The range is longer than a year (${maxRangeDays} days at most). Ask for a shorter range.` });
    }
  });

export type CostQuery = z.input<typeof costQuery>;

/** The range a query means on `today`: absent ends default to this month so far. */
export function resolveRange(query: { from?: string; to?: string }, today: Date): { from: string; to: string } {
  const day = today.toISOString().slice(0, 10);
  const from = query.from ?? (query.to ? `${query.to.slice(0, 7)}-01` : `${day.slice(0, 7)}-01`);
  return { from, to: query.to ?? (from > day ? from : day) };
}
