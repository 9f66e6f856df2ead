// The day's cost of one resource, in the billing currency's minor units.
// Whole cents per resource per day, so any grouping of the rows sums to the
// same total to the cent, as a bill does. Data for a day appears hour by hour
// about four hours late, as Cost Management's does.
import { unitHash, type BilledResource } from "./estate";

/** Rates from EUR, fixed so the sandbox is deterministic. All have two decimals. */
export const currencyRates: Readonly<Record<string, number>> = { EUR: 1, USD: 1.08, GBP: 0.85, CHF: 0.94, SEK: 11.4, NOK: 11.7, DKK: 7.46 };

export const dataLagHours = 4;
const hourMs = 3_600_000;
export const dayMs = 24 * hourMs;

// Prices that do not move with use: a flat fee billed by the hour.
const flatCategories = new Set(["Azure Kubernetes Service", "Storage", "Virtual Network", "Virtual Machines"]);

/** Hours of `day` (UTC midnight) whose cost is visible at `now`. */
export function hoursAvailable(day: Date, now: Date): number {
  const hours = Math.floor((now.getTime() - dataLagHours * hourMs - day.getTime()) / hourMs);
  return Math.max(0, Math.min(24, hours));
}

/** The full day's cost without the day's noise: what a forecast expects. */
export function expectedMinor(resource: BilledResource, day: Date, currency: string): number {
  return Math.round(resource.dailyEur(day) * growth(resource, day) * rate(currency) * 100);
}

export function actualMinor(resource: BilledResource, day: Date, currency: string, now: Date): number {
  const hours = hoursAvailable(day, now);
  if (hours === 0) return 0;
  const noise = flatCategories.has(resource.meterCategory) ? 1 : 0.92 + 0.16 * unitHash(resource.resourceId, day.toISOString().slice(0, 10));
  return Math.round(resource.dailyEur(day) * growth(resource, day) * noise * rate(currency) * 100 * (hours / 24));
}

// Usage grows slowly, about 1.5 % a month, as a product's traffic does; flat fees do not.
function growth(resource: BilledResource, day: Date): number {
  if (flatCategories.has(resource.meterCategory)) return 1;
  return Math.max(0.5, 1 + (day.getTime() - Date.UTC(2026, 0, 1)) / dayMs / 2000);
}

function rate(currency: string): number {
  const value = currencyRates[currency];
  if (value === undefined) throw new Error(`the sandbox bills in ${Object.keys(currencyRates).join(", ")}, not ${currency}`);
  return value;
}
