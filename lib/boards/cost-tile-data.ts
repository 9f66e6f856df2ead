// A cost tile's figures: month to date, the month's forecast and the trend of
// one team (or of the whole bill), read through lib/costs's own reads
// (`getCosts`: the stored Cost Management rows through the allocation; the
// team's part of Cost Management's forecast as its budget shows it; never Azure). Cost data changes
// every few hours, so one read per team and web process is kept for a minute
// whatever the number of boards and screens showing it.
import { getConfig } from "@/lib/config";
import type { SystemActor } from "@/lib/auth/permissions";
import { getCosts } from "@/lib/costs/get-costs";
import { getPrisma } from "@/lib/db/client";
import { teamForecasts } from "@/lib/costs/cost-budget-view";
import { forecastBasis, runRateForecast } from "@/lib/costs/budget-status";
import type { CostData } from "./board-snapshot";

const cacheMs = 60_000;
const reader: SystemActor = { kind: "system", name: "Wall boards" };

type Cached = { at: number; data: Promise<Omit<CostData, "kind">> };
const state = globalThis as typeof globalThis & { wharfBoardCosts?: Map<string, Cached> };
const cache = () => (state.wharfBoardCosts ??= new Map());

const day = (date: Date) => date.toISOString().slice(0, 10);

/** Cost data is stale after two missed syncs. */
export const costStaleSeconds = () => 2 * getConfig().costs.syncHours * 3600;

export async function costTileData({ team, now, fresh = false }: { team: string | null; now: Date; fresh?: boolean }): Promise<CostData> {
  const key = team ?? "";
  const cached = cache().get(key);
  if (!fresh && cached && now.getTime() - cached.at < cacheMs) return { kind: "cost", ...(await cached.data) };
  const data = readCost(team, now);
  cache().set(key, { at: now.getTime(), data });
  data.catch(() => cache().delete(key));
  for (const [k, entry] of cache()) if (now.getTime() - entry.at > 10 * cacheMs) cache().delete(k);
  return { kind: "cost", ...(await data) };
}

async function readCost(team: string | null, now: Date): Promise<Omit<CostData, "kind">> {
  const to = day(now);
  const monthStart = `${to.slice(0, 7)}-01`;
  const fortnightStart = day(new Date(Date.parse(`${to}T00:00:00Z`) - 13 * 86_400_000));
  const from = fortnightStart < monthStart ? fortnightStart : monthStart;
  const view = await getCosts({ actor: reader, query: { groupBy: "team", from, to }, now });
  const line = team === null ? null : view.lines.find((candidate) => candidate.key === team && candidate.apart === null);
  const daily = team === null ? view.dailyTotalMinor : (line?.dailyMinor ?? view.days.map(() => 0));
  const sum = (predicate: (date: string) => boolean) => view.days.reduce((total, date, index) => total + (predicate(date) ? (daily[index] ?? 0) : 0), 0);
  const weekStart = day(new Date(Date.parse(`${to}T00:00:00Z`) - 6 * 86_400_000));
  const monthDays = view.days.map((date, index) => [date, daily[index] ?? 0] as const).filter(([date]) => date >= monthStart);
  const monthToDateMinor = monthDays.reduce((total, [, minor]) => total + minor, 0);
  const forecast = await tileForecast(team, view, monthToDateMinor);
  return {
    asOf: view.dataAsOf,
    staleAfterSeconds: costStaleSeconds(),
    syncError: view.sync.lastError,
    team,
    currency: view.currency,
    minorUnitDigits: view.minorUnitDigits,
    from: monthStart,
    to,
    monthToDateMinor,
    ...forecast,
    dailyMinor: monthDays.map(([, minor]) => minor),
    lastWeekMinor: sum((date) => date >= weekStart),
    previousWeekMinor: sum((date) => date >= fortnightStart && date < weekStart),
  };
}

/** A team's forecast as its budget states it; everyone's: the subscriptions' Cost Management forecasts, else the run rate. */
async function tileForecast(
  team: string | null,
  view: Awaited<ReturnType<typeof getCosts>>,
  monthToDateMinor: number,
): Promise<Pick<CostData, "forecastMinor" | "forecastSource" | "forecastBasis">> {
  if (!view.currency) return { forecastMinor: null, forecastSource: null, forecastBasis: "No cost is stored for this month yet." };
  if (team === null && view.forecast.source === "cost-management")
    return { forecastMinor: view.forecast.totalMinor, forecastSource: "cost-management", forecastBasis: view.forecast.basis };
  const forecasts = (await teamForecasts(getPrisma(), view.forecast.month, [view.currency])).get(view.currency)!;
  if (team !== null) {
    const forecast = forecasts.forecastOf(team, monthToDateMinor);
    return { forecastMinor: forecast.forecastMinor, forecastSource: forecast.source, forecastBasis: forecast.basis };
  }
  const minor = runRateForecast(view.forecast.month, monthToDateMinor, forecasts.daysWithData);
  return {
    forecastMinor: minor,
    forecastSource: minor === null ? null : "run-rate",
    forecastBasis: forecastBasis(view.forecast.month, forecasts.daysWithData),
  };
}
