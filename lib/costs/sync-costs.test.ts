// Integration: the cost sync against the sandbox's Cost Management (the real
// @azure/arm-costmanagement client) and the embedded PostgreSQL. The stored
// rows add up to Cost Management's own ungrouped total to the cent; the
// queries sent equal the plan (the Forecast API's request included);
// throttling, 204, 500 and unknown scopes are each recorded the way the sync
// promises; Cost Management's forecast is stored, shared out to the cent, and
// a forecast that is absent (204) or fails (500) leaves the actuals stored.
// The test sandbox runs its QPU windows faster (sandbox/test-global-setup.ts):
// the sync paces on them and waits out the quota's own 429s in seconds.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "@azure/identity";
import { CostManagementClient } from "@azure/arm-costmanagement";
import type { RestError } from "@azure/core-rest-pipeline";
import { loadConfig, type WharfConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { observeCostRequests } from "@/lib/azure/costs";
import { syncCosts, scopeOf } from "@/lib/costs/sync-costs";
import { monthDays, monthOf, monthsToSync } from "@/lib/costs/sync-plan";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca, method, body });
const subscriptionId = (endpoints.subscriptionIds as string[])[0]!;
const scope = scopeOf(subscriptionId);
/** Every scope a sync of the sandbox touches. Other test files store rows of their own scopes, in parallel: those stay. */
const sandboxScopes = (endpoints.subscriptionIds as string[]).map(scopeOf);
/** What divides the sandbox's QPU windows (10 s, 1 min, 1 h). */
const quotaSpeed = (endpoints.costQuotaSpeed as number | undefined) ?? 1;
let config: WharfConfig;

/** Requests the sync sends while `fn` runs: first pages (queries), nextLink pages, and 429s. */
async function counting<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number; pages: number; throttled: number }> {
  let queries = 0;
  let pages = 0;
  let throttled = 0;
  const stop = observeCostRequests((r) => {
    if (r.status === 429) throttled += 1;
    else if (r.page) pages += 1;
    else queries += 1;
  });
  try {
    return { result: await fn(), queries, pages, throttled };
  } finally {
    stop();
  }
}

/** Cost Management's own total for a month, ungrouped, in cents. */
async function billedTotalCents(month: string): Promise<number> {
  const credential = new ClientSecretCredential(endpoints.tenantId, endpoints.clientId, endpoints.clientSecret, {
    authorityHost: `https://localhost:${endpoints.port}`,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  });
  const client = new CostManagementClient(credential, {
    endpoint: endpoints.costEndpoint as string,
    credentialScopes: [endpoints.costScope as string],
    tlsOptions: { ca },
  });
  const { first, last } = monthDays(month);
  for (;;) {
    try {
      const result = await client.query.usage(scope, {
        type: "ActualCost",
        timeframe: "Custom",
        timePeriod: { from: first, to: new Date(last.getTime() + 86_399_000) },
        dataset: { granularity: "None", aggregation: { totalCost: { name: "Cost", function: "Sum" } } },
      });
      return Math.round(Number(result.rows?.[0]?.[0] ?? 0) * 100);
    } catch (error) {
      // The sync spent the tenant's quota: wait as Cost Management says.
      const wait = (error as RestError).response?.headers.get("x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after");
      if ((error as RestError).statusCode !== 429 || wait === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, Number(wait) * 1000));
    }
  }
}

async function storedCents(month: string): Promise<number> {
  const { first, last } = monthDays(month);
  const sum = await getPrisma().costRow.aggregate({ where: { scope, date: { gte: first, lte: last } }, _sum: { costMinor: true } });
  return Number(sum._sum.costMinor ?? 0n);
}

beforeAll(async () => {
  config = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE, WHARF_DATA_DIR: mkdtempSync(join(tmpdir(), "wharf-costs-")) });
  await getPrisma().costRow.deleteMany({ where: { scope: { in: sandboxScopes } } });
  await getPrisma().costSyncState.deleteMany({ where: { scope: { in: sandboxScopes } } });
});

afterEach(async () => {
  await faults({}, "DELETE");
});

describe("syncCosts", () => {
  it(
    "backfills three months on the first sync, with the planned number of queries and no 429, adding up to the bill to the cent",
    { timeout: 240_000 },
    async () => {
      expect(config.azure.costEndpoint).toBe(endpoints.costEndpoint);
      for (let attempt = 0; ; attempt++) {
        // The current day's cost grows each hour (the data lags 4 hours): compare within one hour.
        const hour = Math.floor(Date.now() / 3_600_000);
        await getPrisma().costSyncState.deleteMany({ where: { scope: { in: sandboxScopes } } });
        const run = await counting(() => syncCosts({ config }));
        const months = monthsToSync(new Date(), true);
        expect(run.result.scopes).toEqual([{ scope, status: "synced", months, rows: expect.any(Number), forecast: "stored" }]);
        // scopes × months × groupings, and one forecast per scope.
        expect(run.result.plannedQueries).toBe(1 * 3 * 2 + 1);
        expect(run.queries).toBe(run.result.plannedQueries);
        expect(run.throttled).toBe(0);
        // The previous months are whole months of daily rows per resource: many pages at the sandbox's page size.
        expect(run.pages).toBeGreaterThanOrEqual(5);
        const stored = await Promise.all(months.map(storedCents));
        const billed: number[] = [];
        for (const month of months) billed.push(await billedTotalCents(month));
        if (Math.floor(Date.now() / 3_600_000) !== hour && attempt === 0) continue;
        expect(stored).toEqual(billed);
        expect(billed.every((cents) => cents > 0)).toBe(true);
        break;
      }
      const rows = await getPrisma().costRow.findMany({ where: { scope } });
      expect(new Set(rows.map((r) => r.currency))).toEqual(new Set([endpoints.costCurrency]));
      // Tagged resources carry their team and service; AKS node groups are untagged.
      expect(rows.some((r) => r.team && r.service)).toBe(true);
      expect(rows.some((r) => r.resourceGroup.startsWith("mc_") && r.team === null)).toBe(true);
      expect(rows.every((r) => r.resourceId.includes(`/resourcegroups/${r.resourceGroup}/`))).toBe(true);
      const state = await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } });
      expect(state).toMatchObject({ lastError: null, nextAllowedAt: null, lastMonths: monthsToSync(new Date(), true), forecastError: null });
    },
  );

  it("stores Cost Management's forecast for the month with its as-of time, and shares it out to the groups to the cent", { timeout: 240_000 }, async () => {
    const month = monthOf(new Date());
    const forecast = await getPrisma().costForecast.findUniqueOrThrow({ where: { scope_month: { scope, month } } });
    const state = await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } });
    expect(forecast).toMatchObject({ status: "forecast", currency: endpoints.costCurrency });
    expect(forecast.asOf).toEqual(state.lastSyncedAt);
    // The month as Cost Management expects it to end: more than the days it calls actual, less than the month at twice that rate.
    const total = Number(forecast.totalMinor);
    const actual = Number(forecast.actualMinor);
    expect(total).toBeGreaterThan(actual);
    const { first } = monthDays(month);
    const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    const actualDays = forecast.actualThrough ? forecast.actualThrough.getUTCDate() : 0;
    if (actualDays > 0) expect(total).toBeLessThan((2 * actual * days) / actualDays);
    // Each grouping's parts add up to the scope's forecast to the cent, and in proportion to the month to date.
    for (const grouping of ["team", "namespace", "cluster", "service"]) {
      const shares = await getPrisma().costForecastShare.findMany({ where: { scope, month, grouping } });
      expect(shares.length).toBeGreaterThan(0);
      expect(shares.reduce((sum, share) => sum + Number(share.forecastMinor), 0)).toBe(total);
      const actualSum = shares.reduce((sum, share) => sum + Math.max(0, Number(share.actualMinor)), 0);
      for (const share of shares) expect(Math.abs(Number(share.forecastMinor) - (total * Math.max(0, Number(share.actualMinor))) / actualSum)).toBeLessThan(1);
    }
  });

  it("keeps the actuals when the Forecast API answers 204, and says there is no forecast", { timeout: 240_000 }, async () => {
    await faults({ rules: [{ api: "cost", operation: "forecast", errorRate: 1, errorStatus: 204 }] });
    const run = await counting(() => syncCosts({ config, force: true }));
    expect(run.result.scopes[0]).toMatchObject({ status: "synced", forecast: "none" });
    expect(run.result.scopes[0]!.rows).toBeGreaterThan(0);
    expect(run.queries).toBe(run.result.plannedQueries);
    const month = monthOf(new Date());
    expect(await storedCents(month)).toBeGreaterThan(0);
    expect(await getPrisma().costForecast.findUniqueOrThrow({ where: { scope_month: { scope, month } } })).toMatchObject({
      status: "none",
      totalMinor: null,
    });
    expect(await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } })).toMatchObject({ lastError: null, forecastError: null });
    // No forecast to share: every part is null, the month-to-date shares are still stored (for the run rate).
    const shares = await getPrisma().costForecastShare.findMany({ where: { scope, month, grouping: "team" } });
    expect(shares.length).toBeGreaterThan(0);
    expect(shares.every((share) => share.forecastMinor === null)).toBe(true);
  });

  it("keeps the actuals and the last forecast when the Forecast API fails with a 500, and the state says so", { timeout: 480_000 }, async () => {
    const month = monthOf(new Date());
    await syncCosts({ config, force: true });
    const before = await getPrisma().costForecast.findUniqueOrThrow({ where: { scope_month: { scope, month } } });
    expect(before.status).toBe("forecast");
    await faults({ rules: [{ api: "cost", operation: "forecast", errorRate: 1, errorStatus: 500 }] });
    const run = await syncCosts({ config, force: true });
    expect(run.scopes[0]).toMatchObject({ status: "synced", forecast: "failed", forecastError: expect.stringMatching(/Forecast API.*500/) });
    expect(await storedCents(month)).toBeGreaterThan(0);
    const state = await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } });
    expect(state).toMatchObject({ lastError: null, forecastError: expect.stringMatching(/Forecast API.*500/) });
    expect(state.lastSyncedAt!.getTime()).toBeGreaterThan(before.asOf.getTime());
    expect(await getPrisma().costForecast.findUniqueOrThrow({ where: { scope_month: { scope, month } } })).toEqual(before);
    await faults({}, "DELETE");
    await syncCosts({ config, force: true });
    expect((await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } })).forecastError).toBeNull();
  });

  it("is not due again before WHARF_COST_SYNC_HOURS; forced, it asks for this month and last only", { timeout: 240_000 }, async () => {
    const idle = await counting(() => syncCosts({ config }));
    expect(idle.result.scopes).toEqual([{ scope, status: "skipped", months: [], rows: 0 }]);
    expect(idle.queries + idle.pages + idle.throttled).toBe(0);
    const forced = await counting(() => syncCosts({ config, force: true }));
    expect(forced.result.scopes[0]).toMatchObject({ status: "synced", months: monthsToSync(new Date(), false) });
    expect(forced.queries).toBe(1 * 2 * 2 + 1);
    expect(forced.result.plannedQueries).toBe(5);
  });

  it("waits out a 429 that carries only the QPU header, and completes", { timeout: 240_000 }, async () => {
    await faults({ rules: [{ api: "cost", errorRate: 1, errorStatus: 429, retryAfterSeconds: 2 }] });
    let cleared: Promise<unknown> | undefined;
    // The throttling ends once Cost Management has said how long to wait.
    const stop = observeCostRequests((r) => {
      if (r.status === 429) cleared ??= faults({}, "DELETE");
    });
    try {
      const started = Date.now();
      const run = await counting(() => syncCosts({ config, force: true }));
      expect(run.throttled).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(run.result.scopes[0]).toMatchObject({ status: "synced" });
      expect(run.queries).toBe(run.result.plannedQueries);
    } finally {
      stop();
      await cleared;
    }
  });

  it("earns a 429 from the quota itself when other clients have spent it, waits what its QPU header says, and completes", { timeout: 240_000 }, async () => {
    // Other clients of the tenant spend the 10-second quota just before the sync's first request is charged.
    await faults({ rules: [{ api: "cost", qpuSpentByOthers: 12 }] });
    const started = Date.now();
    const run = await counting(() => syncCosts({ config, force: true }));
    // One 429, and the request after the wait was answered: the sync waited as long as the quota said, at least the
    // whole seconds the header carries (the window's rest, rounded up).
    expect(run.throttled).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(10 / quotaSpeed)) * 1000);
    expect(run.result.scopes[0]).toMatchObject({ status: "synced" });
    expect(run.queries).toBe(run.result.plannedQueries);
  });

  it(
    "paces itself on the QPU headers: with all but one of the 10-second quota spent by others, it waits for the window and earns no 429",
    { timeout: 240_000 },
    async () => {
      // Let the previous syncs' requests leave the minute window, so that the window holds only what this test spends.
      await new Promise((resolve) => setTimeout(resolve, 60_000 / quotaSpeed + 100));
      await faults({ rules: [{ api: "cost", qpuSpentByOthers: 11 }] });
      const run = await counting(() => syncCosts({ config, force: true }));
      // The first request spends the window's last QPU (its answer says QueriesPer10Sec:0); asked at once, the next would be refused.
      expect(run.throttled).toBe(0);
      expect(run.result.scopes[0]).toMatchObject({ status: "synced" });
      expect(run.queries).toBe(run.result.plannedQueries);
    },
  );

  it("records a throttle longer than it may wait, and does not ask that scope again before it ends", { timeout: 60_000 }, async () => {
    await faults({ rules: [{ api: "cost", errorRate: 1, errorStatus: 429, retryAfterSeconds: 600 }] });
    const run = await syncCosts({ config, force: true, maxThrottleWaitSeconds: 1 });
    expect(run.scopes[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/429.*600 s/) });
    const state = await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } });
    expect(state.nextAllowedAt!.getTime()).toBeGreaterThan(Date.now() + 590_000);
    await faults({}, "DELETE");
    const again = await counting(() => syncCosts({ config, force: true }));
    expect(again.result.scopes[0]).toMatchObject({ status: "skipped" });
    expect(again.queries).toBe(0);
    await getPrisma().costSyncState.update({ where: { scope }, data: { nextAllowedAt: null } });
  });

  it("keeps a scope's error and rows on a 500, while another scope syncs; an unknown subscription fails alone", { timeout: 240_000 }, async () => {
    const before = await getPrisma().costRow.count({ where: { scope } });
    expect(before).toBeGreaterThan(0);
    const lastSynced = (await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } })).lastSyncedAt;
    await faults({ rules: [{ api: "cost", errorRate: 1, errorStatus: 500 }] });
    const broken = await syncCosts({ config, force: true });
    expect(broken.scopes[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/500/) });
    const state = await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } });
    expect(state.lastError).toMatch(/500/);
    expect(state.lastSyncedAt).toEqual(lastSynced);
    expect(await getPrisma().costRow.count({ where: { scope } })).toBe(before);
    await faults({}, "DELETE");

    const missing = "00000000-0000-4000-8000-00000000dead";
    const two = { ...config, azure: { ...config.azure, subscriptionIds: [missing, subscriptionId] } };
    const run = await syncCosts({ config: two, force: true });
    expect(run.scopes.map((s) => [s.scope, s.status])).toEqual([
      [scopeOf(missing), "failed"],
      [scope, "synced"],
    ]);
    expect(run.scopes[0]!.error).toMatch(/404/);
    expect((await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope: scopeOf(missing) } })).lastError).toMatch(
      /SubscriptionNotFound|could not be found/,
    );
    expect((await getPrisma().costSyncState.findUniqueOrThrow({ where: { scope } })).lastError).toBeNull();
  });

  it("stores an empty month when Cost Management answers 204", { timeout: 240_000 }, async () => {
    await faults({ rules: [{ api: "cost", errorRate: 1, errorStatus: 204 }] });
    const run = await syncCosts({ config, force: true });
    expect(run.scopes[0]).toMatchObject({ status: "synced", rows: 0 });
    for (const month of monthsToSync(new Date(), false)) expect(await storedCents(month)).toBe(0);
  });
});
