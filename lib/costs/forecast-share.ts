// Cost Management's forecast, shared out (decision 0048). Pure. Cost
// Management forecasts a scope (a subscription), not a team: a group's part of
// a scope's forecast for the month is the scope's forecast total (actual so far
// plus the forecast remainder) split by each group's month-to-date share of the
// scope's allocated cost, in integer minor units by the largest remainder, so
// the parts add up to the scope's forecast to the cent. A group's forecast is
// its parts summed over scopes; a scope without a forecast (204, or never read)
// gives that group's part by the month-to-date run rate instead, and says so.
import { splitCents } from "./split-cents";
import { forecastBasis, runRateForecast } from "./budget-status";

export interface GroupActual {
  key: string;
  apart: string | null;
  team: string | null;
  /** Month-to-date allocated cost in the scope (may be negative: a credit). */
  actualMinor: number;
}

/**
 * Each group's part of a scope's forecast total, in the order given; null when there is no forecast or nothing to
 * weigh it by (no cost yet this month). Credits weigh nothing: a group whose month is a credit takes no forecast.
 */
export function splitScopeForecast(totalMinor: number | null, groups: readonly GroupActual[]): number[] | null {
  if (totalMinor === null) return null;
  const weights = groups.map((group) => Math.max(0, group.actualMinor));
  if (weights.every((weight) => weight === 0)) return null;
  return splitCents(totalMinor, weights);
}

/** One scope's part of a group's forecast, as stored at the scope's last sync. */
export interface ScopeShare {
  scope: string;
  /** The group's month-to-date cost in the scope. */
  actualMinor: number;
  /** The scope's month-to-date allocated cost, all groups. */
  scopeActualMinor: number;
  /** The group's part of the scope's forecast; null when the scope has none. */
  forecastMinor: number | null;
  /** When Cost Management's forecast was read; null when the scope has none. */
  asOf: Date | null;
}

export type ForecastSource = "cost-management" | "run-rate";

export interface GroupForecast {
  forecastMinor: number | null;
  /** cost-management: at least one scope's part came from Cost Management's forecast. */
  source: ForecastSource | null;
  basis: string;
  /** The oldest Cost Management forecast the figure uses. */
  asOf: string | null;
}

const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((1000 * part) / whole) / 10} %` : "0 %");

/**
 * A group's forecast for the month: its parts of each scope's Cost Management forecast, summed; a scope without one
 * by the run rate of the group's part of it. With no Cost Management forecast at all: the run rate of `actualMinor`
 * (the group's month to date as now allocated), labelled as such.
 */
export function groupForecast(month: string, shares: readonly ScopeShare[], fallback: { actualMinor: number; daysWithData: number }): GroupForecast {
  const forecasted = shares.filter((share) => share.forecastMinor !== null);
  if (forecasted.length === 0) {
    const minor = runRateForecast(month, fallback.actualMinor, fallback.daysWithData);
    return { forecastMinor: minor, source: minor === null ? null : "run-rate", basis: forecastBasis(month, fallback.daysWithData), asOf: null };
  }
  const without = shares.filter((share) => share.forecastMinor === null);
  const runRated = without.map((share) => runRateForecast(month, share.actualMinor, fallback.daysWithData) ?? 0);
  const minor = forecasted.reduce((sum, share) => sum + share.forecastMinor!, 0) + runRated.reduce((sum, part) => sum + part, 0);
  const asOf = forecasted.map((share) => share.asOf!.toISOString()).sort()[0]!;
  const parts = forecasted.map((share) => `${share.scope}: ${percent(share.actualMinor, share.scopeActualMinor)}`).join("; ");
  return {
    forecastMinor: minor,
    source: "cost-management",
    basis:
      `Cost Management's forecast for the month (Forecast API, read ${asOf}): for each subscription, this share of its month-to-date ` +
      `allocated cost (${parts}) × its forecast (actual so far plus the forecast for the rest of the month), summed.` +
      (without.length > 0
        ? ` ${without.map((share) => share.scope).join(", ")} ${without.length === 1 ? "has" : "have"} no forecast: ` +
          "that part is the month-to-date run rate."
        : ""),
    asOf,
  };
}
