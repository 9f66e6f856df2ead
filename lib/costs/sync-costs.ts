// One cost sync: for every subscription in config that is due, the months
// lib/costs/sync-plan.ts names, by day and resource, stored month by month.
// Each month is queried once per tag grouping (ResourceId + team, ResourceId +
// service): amounts come from the first, the service tag from the second.
// A month replaces that month's rows of the scope, and the stored allocation
// of its days, in one transaction. A scope
// that fails keeps its rows and records its error (and, when throttled, when
// to ask again); the other scopes sync regardless.
// Then, per scope, Cost Management's forecast for the current month (the
// Forecast API, one request more per scope, decision 0048) is stored with each
// group's part of it. A forecast that fails or is absent (204) never undoes
// the actuals: the scope is synced, and its state says what the forecast did.
import type { WharfConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { CostQueryError, costTagKeys, forecastMonth, queryMonthByDay, type CostRowData } from "@/lib/azure/costs";
import { monthDays, monthOf, monthsToSync, plannedQueries, scopeIsDue } from "@/lib/costs/sync-plan";
import { refreshForecastShares, storeScopeForecast } from "@/lib/costs/store-cost-forecast";
import { refreshCostAllocation } from "@/lib/costs/cost-allocation";
import { checkCostBudgets, type BudgetCheck } from "@/lib/costs/check-cost-budgets";

export interface ScopeSyncResult {
  scope: string;
  status: "synced" | "skipped" | "failed";
  months: string[];
  rows: number;
  error?: string;
  /** Cost Management's forecast for the current month: stored, none (204: it has none), or failed (see forecastError). */
  forecast?: "stored" | "none" | "failed";
  forecastError?: string;
}

export interface CostSyncSummary {
  scopes: ScopeSyncResult[];
  /** Budgets checked after the sync stored new figures (none synced: not checked). */
  budgets?: BudgetCheck;
  /** scopes × months × groupings, plus one forecast per scope, for the scopes that were due. */
  plannedQueries: number;
}

export interface SyncCostsOptions {
  config: Pick<WharfConfig, "identity" | "azure" | "mode" | "costs">;
  now?: Date;
  /** Sync every scope now, whatever its last sync (an admin asked); a throttled scope still waits. */
  force?: boolean;
  /** Longest wait for one 429 inside the sync; a longer one records the scope as throttled. */
  maxThrottleWaitSeconds?: number;
  signal?: AbortSignal;
}

export const scopeOf = (subscriptionId: string) => `subscriptions/${subscriptionId}`;

/** The stored rows of one month: amounts and team from the team grouping, service by resource from the other. */
export function mergeGroupings(byTeam: CostRowData[], byService: CostRowData[]): (CostRowData & { team?: string; service?: string })[] {
  const service = new Map<string, string>();
  for (const row of byService) if (row.tagValue !== undefined) service.set(row.resourceId, row.tagValue);
  const merged = new Map<string, CostRowData & { team?: string; service?: string }>();
  for (const row of byTeam) {
    // Cost Management may answer one resource-day in several rows (one per meter); the stored row is their sum.
    const key = `${row.date}|${row.resourceId}`;
    const existing = merged.get(key);
    if (existing) {
      existing.costMinor += row.costMinor;
      continue;
    }
    merged.set(key, { ...row, team: row.tagValue, service: service.get(row.resourceId) });
  }
  return [...merged.values()];
}

async function storeMonth(scope: string, month: string, rows: ReturnType<typeof mergeGroupings>, asOf: Date): Promise<void> {
  const { first, last } = monthDays(month);
  // The month's rows and its stored allocation (decision 0035) change in one transaction: a read sees the month
  // before the sync or after it, never rows without their allocation.
  await getPrisma().$transaction(
    async (tx) => {
      await tx.costRow.deleteMany({ where: { scope, date: { gte: first, lte: last } } });
      await tx.costRow.createMany({
        data: rows.map((r) => ({
          scope,
          date: new Date(`${r.date}T00:00:00Z`),
          resourceId: r.resourceId,
          resourceGroup: r.resourceGroup,
          team: r.team ?? null,
          service: r.service ?? null,
          costMinor: BigInt(r.costMinor),
          currency: r.currency,
          asOf,
        })),
      });
      await refreshCostAllocation(tx, { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) });
    },
    { timeout: 300_000 },
  );
}

/** The current month's forecast of a scope that just synced, and each group's part of it. Never throws but on abort. */
async function syncForecast(scope: string, options: SyncCostsOptions, now: Date): Promise<Pick<ScopeSyncResult, "forecast" | "forecastError">> {
  const month = monthOf(now);
  let result: Pick<ScopeSyncResult, "forecast" | "forecastError">;
  try {
    const answer = await forecastMonth(options.config, { scope, month, maxThrottleWaitSeconds: options.maxThrottleWaitSeconds, signal: options.signal });
    await storeScopeForecast(scope, month, answer, now);
    result = { forecast: answer.status === "forecast" ? "stored" : "none" };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    // The last forecast stored (if any) stays, with its as-of time; the shares below still follow the new actuals.
    result = { forecast: "failed", forecastError: `Forecast API: ${error instanceof Error ? error.message : String(error)}` };
  }
  await getPrisma().$transaction((tx) => refreshForecastShares(tx, scope, month), { timeout: 300_000 });
  return result;
}

async function syncScope(scope: string, months: string[], options: SyncCostsOptions, now: Date): Promise<ScopeSyncResult> {
  const prisma = getPrisma();
  let stored = 0;
  try {
    for (const month of months) {
      // One grouping after the other: they share the tenant's QPU quota, and in parallel the second would earn a 429.
      const answers: CostRowData[][] = [];
      for (const tagKey of costTagKeys) {
        answers.push(
          await queryMonthByDay(options.config, { scope, month, tagKey, maxThrottleWaitSeconds: options.maxThrottleWaitSeconds, signal: options.signal }),
        );
      }
      const rows = mergeGroupings(answers[0]!, answers[1]!);
      await storeMonth(scope, month, rows, now);
      stored += rows.length;
    }
    const { forecast, forecastError } = await syncForecast(scope, options, now);
    const forecastState = { forecastError: forecastError ?? null, forecastErrorAt: forecastError ? now : null };
    await prisma.costSyncState.upsert({
      where: { scope },
      create: { scope, lastSyncedAt: now, lastMonths: months, ...forecastState },
      update: { lastSyncedAt: now, lastMonths: months, lastError: null, lastErrorAt: null, nextAllowedAt: null, ...forecastState },
    });
    return { scope, status: "synced", months, rows: stored, forecast, ...(forecastError && { forecastError }) };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const message = error instanceof Error ? error.message : String(error);
    const retryAfter = error instanceof CostQueryError && error.kind === "throttled" ? error.retryAfterSeconds : undefined;
    const nextAllowedAt = retryAfter === undefined ? null : new Date(Date.now() + retryAfter * 1000);
    await prisma.costSyncState.upsert({
      where: { scope },
      create: { scope, lastMonths: [], lastError: message, lastErrorAt: now, nextAllowedAt },
      update: { lastError: message, lastErrorAt: now, nextAllowedAt },
    });
    return { scope, status: "failed", months, rows: stored, error: message };
  }
}

export async function syncCosts(options: SyncCostsOptions): Promise<CostSyncSummary> {
  const now = options.now ?? new Date();
  const prisma = getPrisma();
  const scopes = options.config.azure.subscriptionIds.map(scopeOf);
  const states = new Map((await prisma.costSyncState.findMany({ where: { scope: { in: scopes } } })).map((s) => [s.scope, s]));
  const results: ScopeSyncResult[] = [];
  const due: string[][] = [];
  // Scopes one after another: they share the tenant's QPU quota, so in parallel they would only queue on it.
  for (const scope of scopes) {
    const state = states.get(scope) ?? null;
    if (!scopeIsDue(state, now, options.config.costs.syncHours, options.force ?? false)) {
      results.push({ scope, status: "skipped", months: [], rows: 0 });
      continue;
    }
    const months = monthsToSync(now, !state?.lastSyncedAt);
    due.push(months);
    results.push(await syncScope(scope, months, options, now));
  }
  // New figures: tell teams whose month crossed a budget threshold (once per threshold per month).
  const budgets = results.some((result) => result.status === "synced") ? await checkCostBudgets(now) : undefined;
  return { scopes: results, plannedQueries: plannedQueries(due, costTagKeys.length), budgets };
}
