// What one cost sync asks Cost Management, decided without I/O: which months
// per scope, whether a scope is due, and how many queries that is at most.
import { costSyncCheckMinute } from "@/lib/jobs/queues";

/** yyyy-mm of the UTC month `offset` months from `now`'s. */
export function monthOf(now: Date, offset = 0): string {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
  return at.toISOString().slice(0, 7);
}

/** Months backfilled on a scope's first sync: the current one and the two before it. */
export const backfillMonths = 3;

/**
 * The months a scope's sync stores, oldest first: the current and previous
 * month (Cost Management still corrects last month's figures early in the
 * month), or three months on its first sync.
 */
export function monthsToSync(now: Date, firstSync: boolean): string[] {
  const count = firstSync ? backfillMonths : 2;
  return Array.from({ length: count }, (_, i) => monthOf(now, i - count + 1));
}

/** The first and last day (UTC midnight) of a yyyy-mm month. */
export function monthDays(month: string): { first: Date; last: Date } {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return { first: new Date(Date.UTC(year, monthNumber - 1, 1)), last: new Date(Date.UTC(year, monthNumber, 0)) };
}

/** A scope is due when it never synced, or its last sync is `syncHours` old, and Cost Management lets us ask. */
export function scopeIsDue(state: { lastSyncedAt: Date | null; nextAllowedAt: Date | null } | null, now: Date, syncHours: number, force: boolean): boolean {
  if (state?.nextAllowedAt && state.nextAllowedAt > now) return false;
  if (force || !state?.lastSyncedAt) return true;
  // A few minutes' slack, so an hourly cron does not miss the slot by the time the last sync took.
  return now.getTime() - state.lastSyncedAt.getTime() >= syncHours * 3_600_000 - dueSlackMs;
}

const dueSlackMs = 5 * 60_000;

/**
 * When the hourly check (minute costSyncCheckMinute, lib/jobs/queues.ts) will next sync the scope unasked: the
 * first check, not before `now`, at which scopeIsDue holds. A scope that never synced is due at the next check.
 */
export function nextScopeSync(state: { lastSyncedAt: Date | null; nextAllowedAt: Date | null } | null, now: Date, syncHours: number): Date {
  let from = now.getTime();
  if (state?.lastSyncedAt) from = Math.max(from, state.lastSyncedAt.getTime() + syncHours * 3_600_000 - dueSlackMs);
  if (state?.nextAllowedAt) from = Math.max(from, state.nextAllowedAt.getTime());
  const check = new Date(from);
  check.setUTCMinutes(costSyncCheckMinute, 0, 0);
  if (check.getTime() < from) check.setUTCHours(check.getUTCHours() + 1);
  return check;
}

/** Forecast API requests per scope synced: the current month's (decision 0048). */
export const forecastsPerScope = 1;

/**
 * The most queries (first pages) a sync may send: scopes × months × groupings, plus one forecast per scope. nextLink
 * pages and 429 retries are not queries. `months` holds each due scope's months.
 */
export function plannedQueries(months: readonly (readonly string[])[], groupings: number): number {
  return months.reduce((sum, m) => sum + m.length * groupings + forecastsPerScope, 0);
}
