// lib/azure/costs.ts: the QPU headers read the way Cost Management writes
// them, and one month queried from the sandbox's Cost Management through the
// real client, every nextLink page of it, in Wharf's rows.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHttpHeaders } from "@azure/core-rest-pipeline";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type WharfConfig } from "@/lib/config";
import { CostQueryError, forecastMonth, observeCostRequests, qpuPacingMs, qpuRetryAfterSeconds, queryMonthByDay, toMonthForecast } from "@/lib/azure/costs";
import { monthOf } from "@/lib/costs/sync-plan";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca, method, body });
const scope = `subscriptions/${(endpoints.subscriptionIds as string[])[0]!}`;
let config: WharfConfig;

beforeAll(() => {
  config = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE, WHARF_DATA_DIR: mkdtempSync(join(tmpdir(), "wharf-costq-")) });
});

afterEach(async () => {
  await faults({}, "DELETE");
});

describe("QPU headers", () => {
  it("waits for the window whose quota is spent, the longest when several are", () => {
    expect(qpuPacingMs("QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9")).toBe(0);
    expect(qpuPacingMs("QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:0")).toBe(10_000);
    expect(qpuPacingMs("QueriesPerHour:597,QueriesPerMin:0,QueriesPer10Sec:0")).toBe(60_000);
    expect(qpuPacingMs(undefined)).toBe(0);
    // A sandbox that runs its windows 60 times faster: the spent minute is a second.
    expect(qpuPacingMs("QueriesPerHour:597,QueriesPerMin:0,QueriesPer10Sec:3", 60)).toBe(1_000);
  });

  it("reads the QPU retry header before Retry-After, and neither when absent", () => {
    expect(qpuRetryAfterSeconds(createHttpHeaders({ "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after": "7", "retry-after": "1" }))).toBe(7);
    expect(qpuRetryAfterSeconds(createHttpHeaders({ "retry-after": "3" }))).toBe(3);
    expect(qpuRetryAfterSeconds(createHttpHeaders({}))).toBeUndefined();
  });
});

describe("queryMonthByDay", () => {
  it("follows a nextLink chain of 5 or more pages with the same body, into whole-cent rows by day and resource", { timeout: 180_000 }, async () => {
    let pages = 0;
    let firsts = 0;
    const stop = observeCostRequests((r) => (r.page ? (pages += 1) : (firsts += 1)));
    const rows = await queryMonthByDay(config, { scope, month: monthOf(new Date(), -1), tagKey: "team" }).finally(stop);
    expect(firsts).toBe(1);
    // No page holds more than the page size, so the rows prove every page was read.
    expect(rows.length).toBeGreaterThan(4 * (endpoints.costPageSize as number) - 1);
    expect(pages + 1).toBeGreaterThanOrEqual(Math.ceil(rows.length / (endpoints.costPageSize as number)));
    expect(pages + 1).toBeGreaterThanOrEqual(5);
    expect(rows.every((r) => Number.isInteger(r.costMinor) && r.currency === endpoints.costCurrency && /^\d{4}-\d{2}-\d{2}$/.test(r.date))).toBe(true);
    expect(new Set(rows.map((r) => `${r.date}|${r.resourceId}`)).size).toBe(rows.length);
    expect(rows.some((r) => r.tagValue !== undefined) && rows.some((r) => r.tagValue === undefined)).toBe(true);
  });

  it("answers 204 as no rows", async () => {
    await faults({ rules: [{ api: "cost", errorRate: 1, errorStatus: 204 }] });
    expect(await queryMonthByDay(config, { scope, month: monthOf(new Date()), tagKey: "service" })).toEqual([]);
  });

  it("throws a throttled error carrying the wait when the 429's wait is longer than it may wait", async () => {
    await faults({ rules: [{ api: "cost", errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 }] });
    const error = await queryMonthByDay(config, { scope, month: monthOf(new Date()), tagKey: "team", maxThrottleWaitSeconds: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CostQueryError);
    expect(error).toMatchObject({ kind: "throttled", httpStatus: 429, retryAfterSeconds: 7 });
  });

  it("throws unavailable on a 500, without the SDK's retries", async () => {
    await faults({ rules: [{ api: "cost", errorRate: 1, errorStatus: 500 }] });
    let sent = 0;
    const stop = observeCostRequests(() => (sent += 1));
    const error = await queryMonthByDay(config, { scope, month: monthOf(new Date()), tagKey: "team" })
      .catch((e: unknown) => e)
      .finally(stop);
    expect(error).toMatchObject({ kind: "unavailable", httpStatus: 500 });
    expect(sent).toBe(1);
  });
});

describe("forecastMonth", () => {
  it("reads the month's forecast through the SDK's forecast.usage: actual days plus the forecast remainder, in whole cents", async () => {
    const month = monthOf(new Date());
    const sent: string[] = [];
    const stop = observeCostRequests((r) => sent.push(`${r.method} ${new URL(r.url).pathname} ${r.status}`));
    const forecast = await forecastMonth(config, { scope, month });
    stop();
    expect(sent).toEqual([`POST /${scope}/providers/Microsoft.CostManagement/forecast 200`]);
    if (forecast.status !== "forecast") throw new Error("expected a forecast");
    expect(forecast.currency).toBe(endpoints.costCurrency);
    expect(forecast.forecastRemainderMinor).toBeGreaterThan(0);
    expect(forecast.totalMinor).toBe(forecast.actualMinor + forecast.forecastRemainderMinor);
    expect(Number.isInteger(forecast.totalMinor)).toBe(true);
    if (forecast.actualThrough) expect(forecast.actualThrough.slice(0, 7)).toBe(month);
  });

  it("answers 204 as no forecast, and a 500 as unavailable", async () => {
    await faults({ rules: [{ api: "cost", operation: "forecast", errorRate: 1, errorStatus: 204 }] });
    expect(await forecastMonth(config, { scope, month: monthOf(new Date()) })).toEqual({ status: "none" });
    await faults({ rules: [{ api: "cost", operation: "forecast", errorRate: 1, errorStatus: 500 }] });
    await expect(forecastMonth(config, { scope, month: monthOf(new Date()) })).rejects.toMatchObject({ kind: "unavailable", httpStatus: 500 });
  });

  it("reads columns by name, and refuses an answer without CostStatus or in two currencies", () => {
    const columns = [{ name: "CostStatus" }, { name: "Currency" }, { name: "UsageDate" }, { name: "PreTaxCost" }];
    expect(
      toMonthForecast([
        {
          columns,
          rows: [
            ["Actual", "JPY", 20340301, 1200],
            ["Forecast", "JPY", 20340302, 1300.4],
          ],
        },
      ]),
    ).toEqual({ status: "forecast", currency: "JPY", actualMinor: 1200, forecastRemainderMinor: 1300, totalMinor: 2500, actualThrough: "2034-03-01" });
    expect(() => toMonthForecast([{ columns: [{ name: "Cost" }, { name: "Currency" }], rows: [[1, "EUR"]] }])).toThrow(CostQueryError);
    expect(() =>
      toMonthForecast([
        {
          columns,
          rows: [
            ["Actual", "EUR", 20340301, 1],
            ["Forecast", "USD", 20340302, 1],
          ],
        },
      ]),
    ).toThrow(/mixes currencies/);
  });
});
