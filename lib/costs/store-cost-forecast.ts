// The sync's half of Cost Management's forecast (decision 0048): the Forecast
// API's answer for a scope's current month stored with the time it was read,
// and each group's part of it (forecast-share.ts) rebuilt from the scope's
// month-to-date allocation, so reads (budgets, /costs, the boards) never ask
// Azure. A failed forecast leaves the last one stored: its as-of time says how
// old it is, and the scope's sync state says what failed.
import type { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import type { MonthForecast } from "@/lib/azure/costs";
import { allocateLoaded, currenciesOf, loadAllocationData } from "./cost-allocation";
import { costGroupings } from "./cost-report";
import { splitScopeForecast, type GroupActual } from "./forecast-share";
import { monthDays } from "./sync-plan";

type Db = Pick<Prisma.TransactionClient, "$queryRaw" | "$executeRaw">;

/** `CostForecast.status`: forecast, or none when Cost Management answered 204 (it has no forecast for the scope). */
export const costForecastStatuses = ["forecast", "none"] as const;

export async function storeScopeForecast(scope: string, month: string, forecast: MonthForecast, asOf: Date): Promise<void> {
  const row =
    forecast.status === "none"
      ? { status: costForecastStatuses[1], currency: null, actualMinor: null, totalMinor: null, actualThrough: null }
      : {
          status: costForecastStatuses[0],
          currency: forecast.currency,
          actualMinor: BigInt(forecast.actualMinor),
          totalMinor: BigInt(forecast.totalMinor),
          actualThrough: forecast.actualThrough ? new Date(`${forecast.actualThrough}T00:00:00Z`) : null,
        };
  await getPrisma().costForecast.upsert({ where: { scope_month: { scope, month } }, create: { scope, month, ...row, asOf }, update: { ...row, asOf } });
}

/** A row belongs to a subscription scope when its resource id is under it (the sync's scopes are subscriptions). */
const inScope = (scope: string) => {
  const prefix = `/${scope.toLowerCase()}/`;
  return (row: { resourceId: string }) => row.resourceId.toLowerCase().startsWith(prefix);
};

/**
 * Replaces the scope's forecast shares of `month` with each group's month-to-date allocated cost in the scope and its
 * part of the scope's stored forecast, per grouping and currency. Run after the scope's rows and forecast are stored.
 */
export async function refreshForecastShares(db: Db, scope: string, month: string): Promise<{ shares: number }> {
  const { first, last } = monthDays(month);
  const range = { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
  const [data, forecasts] = await Promise.all([
    loadAllocationData(db, range),
    db.$queryRaw<{ status: string; currency: string | null; totalMinor: number | null }[]>`
      SELECT "status", "currency", "totalMinor"::float8 AS "totalMinor" FROM "CostForecast" WHERE "scope" = ${scope} AND "month" = ${month}`,
  ]);
  const scoped = { ...data, rows: data.rows.filter(inScope(scope)) };
  const forecast = forecasts[0];
  const shares: { grouping: string; currency: string; group: GroupActual; forecastMinor: number | null }[] = [];
  for (const currency of currenciesOf(scoped)) {
    const total = forecast?.status === "forecast" && forecast.currency === currency ? forecast.totalMinor : null;
    for (const grouping of costGroupings) {
      const groups = new Map<string, GroupActual>();
      for (const cell of allocateLoaded(scoped, currency, grouping).cells) {
        const id = `${cell.key}\u0000${cell.team ?? ""}`;
        const group = groups.get(id) ?? { key: cell.key, apart: cell.apart, team: cell.team, actualMinor: 0 };
        group.actualMinor += cell.cents;
        groups.set(id, group);
      }
      const list = [...groups.values()].sort((a, b) => a.key.localeCompare(b.key) || (a.team ?? "").localeCompare(b.team ?? ""));
      const parts = splitScopeForecast(total, list);
      list.forEach((group, i) => shares.push({ grouping, currency, group, forecastMinor: parts?.[i] ?? null }));
    }
  }
  await db.$executeRaw`DELETE FROM "CostForecastShare" WHERE "scope" = ${scope} AND "month" = ${month}`;
  if (shares.length > 0)
    await db.$executeRaw`
      INSERT INTO "CostForecastShare" ("month", "scope", "grouping", "currency", "key", "apart", "team", "actualMinor", "forecastMinor")
      SELECT ${month}, ${scope}, * FROM unnest(${shares.map((s) => s.grouping)}::text[], ${shares.map((s) => s.currency)}::text[],
                                               ${shares.map((s) => s.group.key)}::text[], ${shares.map((s) => s.group.apart)}::text[],
                                               ${shares.map((s) => s.group.team ?? "")}::text[], ${shares.map((s) => s.group.actualMinor)}::bigint[],
                                               ${shares.map((s) => s.forecastMinor)}::bigint[])`;
  return { shares: shares.length };
}
