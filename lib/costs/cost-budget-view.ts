// A team's budget as pages and the API show it: the amount, its thresholds,
// and where the month stands (actual from the stored allocation's team
// figures; forecast as the team's part of Cost Management's forecast, or the
// month-to-date run rate only when none is stored: decision 0048), with the
// thresholds the month has crossed and the team was told of.
import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";
import { minorUnitDigits } from "./cluster-bill";
import { budgetStatus } from "./budget-status";
import { readMonthForecasts, type MonthForecasts } from "./read-cost-forecast";

export const costBudgetView = z.object({
  team: z.string().describe("The team's slug."),
  teamName: z.string(),
  month: z.string().describe("yyyy-mm (UTC): the month the figures are for."),
  currency: z.string().describe("ISO 4217 code of the bill, taken from the billing data when the budget was set."),
  minorUnitDigits: z.number().int(),
  amountMinor: z.number().int().describe("The monthly budget in minor units."),
  actualThresholds: z.array(z.number().int()),
  forecastThresholds: z.array(z.number().int()),
  actualMinor: z.number().int().describe("The team's cost this month so far, as /costs by team shows it."),
  actualPercent: z.number(),
  forecastMinor: z
    .number()
    .int()
    .nullable()
    .describe(
      "The team's forecast for the month: for each subscription, its share of the month-to-date cost × Cost Management's forecast, summed; " +
        "the month-to-date run rate only when no forecast is stored (see forecastSource); null before any data this month.",
    ),
  forecastPercent: z.number().nullable(),
  forecastSource: z
    .enum(["cost-management", "run-rate"])
    .nullable()
    .describe("cost-management: from Cost Management's Forecast API; run-rate: Wharf's linear projection (no forecast stored); null: none."),
  forecastAsOf: z.string().nullable().describe("When Cost Management's forecast was read (the oldest used); null for a run rate."),
  forecastBasis: z.string().describe("How the forecast was made, in words."),
  daysWithData: z.number().int().describe("Days of the month Cost Management has reported so far."),
  daysInMonth: z.number().int(),
  crossed: z
    .array(z.object({ kind: z.enum(["actual", "forecast"]), threshold: z.number().int(), costMinor: z.number().int(), crossedAt: z.string() }))
    .describe("Thresholds crossed this month and notified (once each)."),
  updatedAt: z.string(),
  updatedByName: z.string(),
});

export type CostBudgetView = z.infer<typeof costBudgetView>;

type Reader = Pick<Prisma.TransactionClient, "$queryRaw" | "costBudgetAlert">;

export interface BudgetRow {
  teamId: string;
  amountMinor: bigint;
  currency: string;
  actualThresholds: number[];
  forecastThresholds: number[];
  updatedAt: Date;
  updatedByName: string;
  team: { slug: string; name: string };
}

const monthRange = (month: string) => {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return { first: `${month}-01`, last: new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10) };
};

/**
 * The teams' cost in a month per currency, as /costs by team shows it (the stored allocation's team cells), and the
 * last day of the month Cost Management has reported per currency.
 */
export async function teamMonthFigures(db: Pick<Prisma.TransactionClient, "$queryRaw">, slugs: readonly string[], month: string) {
  const { first, last } = monthRange(month);
  const [actuals, reported] = await Promise.all([
    db.$queryRaw<{ team: string; currency: string; cents: number }[]>`
      SELECT "key" AS "team", "currency", sum("costMinor")::float8 AS "cents" FROM "CostAllocation"
      WHERE "grouping" = 'team' AND "key" = ANY(${[...slugs]}::text[]) AND "team" = "key" AND "day" BETWEEN ${first}::date AND ${last}::date
      GROUP BY "key", "currency"`,
    db.$queryRaw<{ currency: string; day: number }[]>`
      SELECT "currency", extract(day FROM max("date"))::int AS "day" FROM "CostRow"
      WHERE "date" BETWEEN ${first}::date AND ${last}::date GROUP BY "currency"`,
  ]);
  return { actuals, reported };
}

/** The bill's currency as of `now`: the newest stored Cost Management row dated up to then (null with none). */
export async function currentBillCurrency(db: Pick<Prisma.TransactionClient, "$queryRaw">, now: Date): Promise<string | null> {
  const [newest] = await db.$queryRaw<
    { currency: string }[]
  >`SELECT "currency" FROM "CostRow" WHERE "date" <= ${now}::date ORDER BY "date" DESC, "id" DESC LIMIT 1`;
  return newest?.currency ?? null;
}

/** Each team's forecast for the month in a currency (grouping team): two reads per currency. */
export async function teamForecasts(db: Pick<Prisma.TransactionClient, "$queryRaw">, month: string, currencies: readonly string[]) {
  const entries = await Promise.all(
    [...new Set(currencies)].map(async (currency) => [currency, await readMonthForecasts(db, { month, grouping: "team", currency, teams: "all" })] as const),
  );
  return new Map<string, MonthForecasts>(entries);
}

/** The month's figures of each budget's team: a few reads whatever the number of budgets. */
export async function budgetViews(db: Reader, budgets: readonly BudgetRow[], month: string): Promise<CostBudgetView[]> {
  if (budgets.length === 0) return [];
  const [{ actuals, reported }, alerts, forecasts] = await Promise.all([
    teamMonthFigures(
      db,
      budgets.map((budget) => budget.team.slug),
      month,
    ),
    db.costBudgetAlert.findMany({ where: { teamId: { in: budgets.map((budget) => budget.teamId) }, month }, orderBy: [{ kind: "asc" }, { threshold: "asc" }] }),
    teamForecasts(
      db,
      month,
      budgets.map((budget) => budget.currency),
    ),
  ]);
  return budgets.map((budget) => {
    const amountMinor = Number(budget.amountMinor);
    const actualMinor = actuals.find((a) => a.team === budget.team.slug && a.currency === budget.currency)?.cents ?? 0;
    const daysWithData = reported.find((r) => r.currency === budget.currency)?.day ?? 0;
    const forecast = forecasts.get(budget.currency)!.forecastOf(budget.team.slug, actualMinor);
    const status = budgetStatus({
      forecast: { minor: forecast.forecastMinor, source: forecast.source },
      month,
      amountMinor,
      actualMinor,
      daysWithData,
      actualThresholds: budget.actualThresholds,
      forecastThresholds: budget.forecastThresholds,
    });
    return {
      team: budget.team.slug,
      teamName: budget.team.name,
      month,
      currency: budget.currency,
      minorUnitDigits: minorUnitDigits(budget.currency),
      amountMinor,
      actualThresholds: budget.actualThresholds,
      forecastThresholds: budget.forecastThresholds,
      actualMinor,
      actualPercent: status.actualPercent,
      forecastMinor: status.forecastMinor,
      forecastPercent: status.forecastPercent,
      forecastSource: forecast.source,
      forecastAsOf: forecast.asOf,
      forecastBasis: forecast.basis,
      daysWithData,
      daysInMonth: status.daysInMonth,
      crossed: alerts
        .filter((alert) => alert.teamId === budget.teamId)
        .map((alert) => ({
          kind: alert.kind as "actual" | "forecast",
          threshold: alert.threshold,
          costMinor: Number(alert.costMinor),
          crossedAt: alert.crossedAt.toISOString(),
        })),
      updatedAt: budget.updatedAt.toISOString(),
      updatedByName: budget.updatedByName,
    };
  });
}

export const budgetSelect = {
  teamId: true,
  amountMinor: true,
  currency: true,
  actualThresholds: true,
  forecastThresholds: true,
  updatedAt: true,
  updatedByName: true,
  team: { select: { slug: true, name: true } },
} as const;
