// Where a team's month stands against its budget. Pure. The forecast is the
// team's part of Cost Management's forecast (forecast-share.ts, decision 0048)
// when one is stored; only without one is it the month-to-date run rate
// projected to month end (actual × days in the month ÷ days with data so far),
// labelled as such. Run-rate forecast thresholds are only judged from the
// third day with data, so one expensive first day does not predict a month.

export const minForecastDays = 3;

export interface BudgetFigures {
  month: string;
  amountMinor: number;
  actualMinor: number;
  /** The day of the month of the last day with cost data (0: none yet). */
  daysWithData: number;
  actualThresholds: readonly number[];
  forecastThresholds: readonly number[];
  /** The team's forecast when there is one of Cost Management's (forecast-share.ts); absent: the run rate. */
  forecast?: { minor: number | null; source: "cost-management" | "run-rate" | null };
}

export interface BudgetStatus {
  daysInMonth: number;
  /** null while there is no data for the month. */
  forecastMinor: number | null;
  actualPercent: number;
  forecastPercent: number | null;
  /** Thresholds reached: cost ≥ threshold % of the budget. */
  crossedActual: number[];
  /** Empty before the third day with data. */
  crossedForecast: number[];
}

export function daysInMonth(month: string): number {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
}

/** Integer comparison, so a threshold is crossed at exactly its cent. */
const reached = (costMinor: number, amountMinor: number, percent: number) => costMinor * 100 >= percent * amountMinor;

/** The month-to-date run rate projected to month end: actual × days in the month ÷ days with data; null with none yet. */
export function runRateForecast(month: string, actualMinor: number, daysWithData: number): number | null {
  const days = daysInMonth(month);
  return daysWithData > 0 ? Math.round((actualMinor * days) / Math.min(daysWithData, days)) : null;
}

/** How a run-rate forecast was made, in words, for pages and the API. */
export function forecastBasis(month: string, daysWithData: number): string {
  if (daysWithData === 0) return "No cost reported for this month yet.";
  return (
    "Month-to-date run rate, not Cost Management's forecast (none is stored for this month): " +
    `the ${daysWithData} day${daysWithData === 1 ? "" : "s"} reported so far projected to all ${daysInMonth(month)}` +
    (daysWithData < minForecastDays ? ` (forecast thresholds are judged from day ${minForecastDays}).` : ".")
  );
}

export function budgetStatus(figures: BudgetFigures): BudgetStatus {
  const days = daysInMonth(figures.month);
  const fromCostManagement = figures.forecast?.source === "cost-management";
  const forecastMinor = figures.forecast ? figures.forecast.minor : runRateForecast(figures.month, figures.actualMinor, figures.daysWithData);
  const percent = (minor: number) => Math.round((1000 * minor) / figures.amountMinor) / 10;
  return {
    daysInMonth: days,
    forecastMinor,
    actualPercent: percent(figures.actualMinor),
    forecastPercent: forecastMinor === null ? null : percent(forecastMinor),
    crossedActual: figures.actualThresholds.filter((t) => reached(figures.actualMinor, figures.amountMinor, t)),
    crossedForecast:
      forecastMinor === null || (!fromCostManagement && figures.daysWithData < minForecastDays)
        ? []
        : figures.forecastThresholds.filter((t) => reached(forecastMinor, figures.amountMinor, t)),
  };
}
