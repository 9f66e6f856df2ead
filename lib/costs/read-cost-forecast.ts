// The read half of Cost Management's forecast (decision 0048): what the last
// syncs stored per scope (store-cost-forecast.ts), as each group's forecast for
// the month (forecast-share.ts) and the scopes' own forecasts. Never calls Azure.
import type { Prisma } from "@/lib/db/generated/client";
import { groupForecast, type GroupForecast, type ScopeShare } from "./forecast-share";
import { monthDays } from "./sync-plan";

type Db = Pick<Prisma.TransactionClient, "$queryRaw">;

export interface ScopeForecastRow {
  scope: string;
  status: "forecast" | "none";
  currency: string | null;
  actualMinor: number | null;
  totalMinor: number | null;
  asOf: Date;
}

export async function readScopeForecasts(db: Db, month: string): Promise<ScopeForecastRow[]> {
  return db.$queryRaw<ScopeForecastRow[]>`
    SELECT "scope", "status", "currency", "actualMinor"::float8 AS "actualMinor", "totalMinor"::float8 AS "totalMinor", "asOf"
    FROM "CostForecast" WHERE "month" = ${month} ORDER BY "scope"`;
}

export interface MonthForecasts {
  month: string;
  /** The last day of the month with cost data in the currency (0: none): what a run-rate part is projected from. */
  daysWithData: number;
  /** A group's forecast; `actualMinor` is its month to date, for the run rate when no scope has a forecast. */
  forecastOf(key: string, actualMinor?: number): GroupForecast;
  /** Whether any scope's forecast was split to this grouping's groups this month. */
  fromCostManagement: boolean;
  /** The groups with a share this month (of the given teams). */
  keys: string[];
}

/**
 * Each group's part of the stored forecasts of `month` in one grouping and currency, summed per scope over the given
 * teams' figures ("all": every figure, idle and system included). Two reads whatever the number of groups.
 */
export async function readMonthForecasts(
  db: Db,
  query: { month: string; grouping: string; currency: string; teams: "all" | readonly string[] },
): Promise<MonthForecasts> {
  const { first, last } = monthDays(query.month);
  const teams = query.teams === "all" ? null : [...query.teams];
  const [rows, [reported]] = await Promise.all([
    db.$queryRaw<{ scope: string; key: string; actualMinor: number; forecastMinor: number | null; scopeActualMinor: number; asOf: Date | null }[]>`
      SELECT s."scope", s."key", sum(s."actualMinor")::float8 AS "actualMinor",
             CASE WHEN count(s."forecastMinor") = 0 THEN NULL ELSE sum(s."forecastMinor")::float8 END AS "forecastMinor",
             max(s."scopeActualMinor")::float8 AS "scopeActualMinor", max(f."asOf") FILTER (WHERE f."status" = 'forecast') AS "asOf"
      FROM (SELECT *, sum("actualMinor") OVER (PARTITION BY "scope") AS "scopeActualMinor" FROM "CostForecastShare"
            WHERE "month" = ${query.month} AND "grouping" = ${query.grouping} AND "currency" = ${query.currency}) s
      LEFT JOIN "CostForecast" f ON f."scope" = s."scope" AND f."month" = s."month"
      WHERE ${teams}::text[] IS NULL OR s."team" = ANY(${teams}::text[])
      GROUP BY s."scope", s."key" ORDER BY s."scope"`,
    db.$queryRaw<{ day: number | null }[]>`
      SELECT extract(day FROM max("date"))::int AS "day" FROM "CostRow"
      WHERE "currency" = ${query.currency} AND "date" BETWEEN ${first} AND ${last}`,
  ]);
  const byKey = new Map<string, ScopeShare[]>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push({ scope: row.scope, actualMinor: row.actualMinor, scopeActualMinor: row.scopeActualMinor, forecastMinor: row.forecastMinor, asOf: row.asOf });
    byKey.set(row.key, list);
  }
  const daysWithData = reported?.day ?? 0;
  return {
    month: query.month,
    daysWithData,
    fromCostManagement: rows.some((row) => row.forecastMinor !== null),
    keys: [...byKey.keys()],
    forecastOf: (key, actualMinor) => {
      const shares = byKey.get(key) ?? [];
      return groupForecast(query.month, shares, { actualMinor: actualMinor ?? shares.reduce((sum, s) => sum + s.actualMinor, 0), daysWithData });
    },
  };
}
