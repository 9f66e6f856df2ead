// The sandbox Cost Management through the real @azure/arm-costmanagement
// client, unchanged: endpoint, ARM token scope and CA are all it is given.
// The clock is fixed at Sunday 2026-03-15 10:00 UTC so months and the 4-hour
// data lag are known.
import type { QueryDefinition, QueryResult } from "@azure/arm-costmanagement";
import { createHttpHeaders, createPipelineRequest, type RestError } from "@azure/core-rest-pipeline";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sandboxResourceGroup, sandboxSubscriptionId } from "../clusters";
import { httpsJson } from "../test-support/sandbox-client";
import { qpuRetryAfterHeader } from "./cost-management";
import { startCostTestSandbox, type CostTestSandbox } from "./test-sandbox";

const subscription = `subscriptions/${sandboxSubscriptionId}`;
const now = new Date("2026-03-15T10:00:00Z");
let clockMs = 0;
let sandbox: CostTestSandbox;

const cost = { totalCost: { name: "Cost", function: "Sum" } } as const;

function custom(from: string, to: string, dataset: QueryDefinition["dataset"] = { granularity: "Daily", aggregation: cost }): QueryDefinition {
  return { type: "ActualCost", timeframe: "Custom", timePeriod: { from: new Date(`${from}T00:00:00Z`), to: new Date(`${to}T23:59:59Z`) }, dataset };
}

function column(result: QueryResult, name: string): number {
  const index = result.columns!.findIndex((c) => c.name === name);
  if (index < 0) throw new Error(`no column ${name} in ${JSON.stringify(result.columns)}`);
  return index;
}

const cents = (amount: unknown) => Math.round((amount as number) * 100);
const totalCents = (result: QueryResult) => (result.rows ?? []).reduce((sum, row) => sum + cents(row[column(result, "Cost")]), 0);

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    return error as RestError;
  }
  throw new Error("expected the call to fail");
}

/** What a caller must do itself: the SDK does not page query.usage, so POST the same body to nextLink. */
async function postNextLink(nextLink: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
  const response = await sandbox.client.pipeline.sendRequest(
    sandbox.client,
    createPipelineRequest({
      url: nextLink,
      method: "POST",
      headers: createHttpHeaders({ "content-type": "application/json" }),
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return { status: response.status, json: response.bodyAsText ? (JSON.parse(response.bodyAsText) as Record<string, unknown>) : undefined };
}

beforeAll(async () => {
  sandbox = await startCostTestSandbox({ now: () => now, pageSize: 10, clock: () => clockMs });
});

afterAll(async () => {
  await sandbox?.close();
});

beforeEach(() => {
  sandbox.cost.ledger.reset();
});

describe("sandbox Cost Management query", () => {
  it("answers month to date by day with UsageDate as a yyyymmdd number and the currency", async () => {
    const result = await sandbox.client.query.usage(subscription, {
      type: "ActualCost",
      timeframe: "MonthToDate",
      dataset: { granularity: "Daily", aggregation: cost },
    });
    expect(result.columns!.map((c) => c.name)).toEqual(["Cost", "UsageDate", "Currency"]);
    // 10 rows a page: the first page holds March 1-10 of the 15 days with data.
    expect(result.rows!.map((row) => row[1])).toEqual([20260301, 20260302, 20260303, 20260304, 20260305, 20260306, 20260307, 20260308, 20260309, 20260310]);
    expect(new Set(result.rows!.map((row) => row[2]))).toEqual(new Set(["EUR"]));
    expect(result.nextLink).toContain("$skiptoken=");
    const daily = result.rows!.map((row) => row[0] as number);
    expect(Math.min(...daily)).toBeGreaterThan(100);
    expect(new Set(daily).size).toBeGreaterThan(5);
  });

  it("shows today's cost only up to four hours ago, and nothing on the 1st before 04:00", async () => {
    const body = custom("2026-03-14", "2026-03-15");
    const today = await sandbox.client.query.usage(subscription, body);
    const [yesterday, partial] = today.rows!.map((row) => row[0] as number);
    // 10:00 less 4 h: six of today's 24 hours are in.
    expect(partial! / yesterday!).toBeGreaterThan(0.15);
    expect(partial! / yesterday!).toBeLessThan(0.35);

    const early = await startCostTestSandbox({ now: () => new Date("2026-03-01T02:00:00Z") });
    try {
      const nothing = await early.client.query.usage(subscription, {
        type: "ActualCost",
        timeframe: "MonthToDate",
        dataset: { granularity: "Daily", aggregation: cost },
      });
      expect(nothing.rows).toBeUndefined();
    } finally {
      await early.close();
    }
  });

  it("groups by resource group and by team tag, and the groups add up to the ungrouped total to the cent", async () => {
    const dataset = (grouping?: NonNullable<QueryDefinition["dataset"]["grouping"]>): QueryDefinition["dataset"] => ({
      granularity: "None",
      aggregation: cost,
      grouping,
    });
    const total = await sandbox.client.query.usage(subscription, custom("2026-02-01", "2026-02-28", dataset()));
    const byGroup = await sandbox.client.query.usage(
      subscription,
      custom("2026-02-01", "2026-02-28", dataset([{ type: "Dimension", name: "ResourceGroupName" }])),
    );
    const byTeamAndService = await sandbox.client.query.usage(
      subscription,
      custom(
        "2026-02-01",
        "2026-02-28",
        dataset([
          { type: "TagKey", name: "team" },
          { type: "Dimension", name: "ServiceName" },
        ]),
      ),
    );
    expect(total.rows).toHaveLength(1);
    expect(totalCents(byGroup)).toBe(totalCents(total));
    expect(byGroup.columns!.map((c) => c.name)).toEqual(["Cost", "ResourceGroupName", "Currency"]);
    const groups = byGroup.rows!.map((row) => row[1]);
    expect(groups).toEqual(expect.arrayContaining([sandboxResourceGroup, "mc_rg-wharf-sandbox_aks-prod-weu_westeurope", "rg-payments", "rg-platform-shared"]));

    // Ten rows a page: follow the chain to add up every group.
    let rows = [...byTeamAndService.rows!];
    for (let link = byTeamAndService.nextLink; link;) {
      const page = await postNextLink(
        link,
        custom(
          "2026-02-01",
          "2026-02-28",
          dataset([
            { type: "TagKey", name: "team" },
            { type: "Dimension", name: "ServiceName" },
          ]),
        ),
      );
      const properties = page.json!.properties as { rows: unknown[][]; nextLink: string | null };
      rows = rows.concat(properties.rows);
      link = properties.nextLink ?? undefined;
    }
    expect(byTeamAndService.columns!.map((c) => c.name)).toEqual(["Cost", "TagKey", "TagValue", "ServiceName", "Currency"]);
    expect(rows.reduce((sum, row) => sum + cents(row[0]), 0)).toBe(totalCents(total));
    // Untagged (cluster) cost has null TagKey and TagValue; team resources carry the team.
    expect(rows.some((row) => row[1] === null && row[2] === null && row[3] === "Virtual Machines")).toBe(true);
    expect(rows.some((row) => row[1] === "team" && row[2] === "payments" && row[3] === "Azure Cosmos DB")).toBe(true);
  });

  it("filters with and/or over dimensions and tags", async () => {
    const scaleSets = { dimensions: { name: "ResourceType", operator: "In", values: ["Microsoft.Compute/virtualMachineScaleSets"] } } as const;
    const prodNodes = { dimensions: { name: "ResourceGroupName", operator: "In", values: ["MC_rg-wharf-sandbox_aks-prod-weu_westeurope"] } } as const;
    const payments = { tags: { name: "team", operator: "In", values: ["payments"] } } as const;
    const query = (filter: unknown) =>
      sandbox.client.query.usage(subscription, custom("2026-02-01", "2026-02-28", { granularity: "None", aggregation: cost, filter: filter as never }));
    const all = totalCents(await query({ or: [scaleSets, payments] }));
    const nodes = totalCents(await query(scaleSets));
    const team = totalCents(await query(payments));
    expect(all).toBe(nodes + team);
    const prodScaleSet = totalCents(await query({ and: [scaleSets, prodNodes] }));
    expect(prodScaleSet).toBeGreaterThan(0);
    expect(prodScaleSet).toBeLessThan(nodes);
    // A D4ds_v5 node in West Europe is about €5.47 a day; the prod pool runs 3 to 6.
    expect(prodScaleSet / 100 / 28).toBeGreaterThan(3 * 5.4);
    expect(prodScaleSet / 100 / 28).toBeLessThan(6 * 5.5);

    const error = await restError(query({ and: [scaleSets] }));
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/and needs at least two expressions/);
  });

  it("answers at resource-group scope with only that group's resources", async () => {
    const scope = `${subscription}/resourceGroups/MC_rg-wharf-sandbox_aks-dev-weu_westeurope`;
    const result = await sandbox.client.query.usage(
      scope,
      custom("2026-02-01", "2026-02-28", { granularity: "None", aggregation: cost, grouping: [{ type: "Dimension", name: "ResourceType" }] }),
    );
    expect(result.rows!.map((row) => row[1]).sort()).toEqual([
      "microsoft.compute/disks",
      "microsoft.compute/virtualmachinescalesets",
      "microsoft.network/loadbalancers",
      "microsoft.network/publicipaddresses",
    ]);
    const missing = await restError(sandbox.client.query.usage(`${subscription}/resourceGroups/rg-nope`, custom("2026-02-01", "2026-02-28")));
    expect([missing.statusCode, missing.code]).toEqual([404, "ResourceGroupNotFound"]);
  });

  it("keeps month boundaries: the last month is February's 28 days, a custom period crosses a year", async () => {
    const last = await sandbox.client.query.usage(subscription, {
      type: "AmortizedCost",
      timeframe: "TheLastMonth",
      dataset: { granularity: "None", aggregation: { c: { name: "PreTaxCost", function: "Sum" } } },
    });
    expect(last.columns!.map((c) => c.name)).toEqual(["PreTaxCost", "Currency"]);
    const february = await sandbox.client.query.usage(subscription, custom("2026-02-01", "2026-02-28", { granularity: "None", aggregation: cost }));
    expect(totalCents(february)).toBe(cents(last.rows![0]![0]));
    const newYear = await sandbox.client.query.usage(subscription, custom("2025-12-30", "2026-01-02"));
    expect(newYear.rows!.map((row) => row[1])).toEqual([20251230, 20251231, 20260101, 20260102]);
  });

  it("pages through a 5-page nextLink chain when the same body is POSTed, and refuses a nextLink without it", async () => {
    const body = custom("2026-01-01", "2026-02-14");
    const first = await sandbox.client.query.usage(subscription, body);
    const dates = first.rows!.map((row) => row[1]);
    let link = first.nextLink;
    let pages = 1;
    const wire = JSON.parse(JSON.stringify(body)) as unknown;
    while (link) {
      const page = await postNextLink(link, wire);
      expect(page.status).toBe(200);
      const properties = page.json!.properties as { rows: unknown[][]; nextLink: string | null };
      dates.push(...properties.rows.map((row) => row[1]));
      link = properties.nextLink ?? undefined;
      pages += 1;
      if (pages === 2) {
        const bare = await postNextLink(first.nextLink!, undefined);
        expect(bare.status).toBe(400);
        expect(bare.json).toEqual({ error: { code: "BadRequest", message: "Invalid query definition, Dataset is invalid or not supplied" } });
        const other = await postNextLink(first.nextLink!, custom("2026-01-01", "2026-02-13"));
        expect(other.status).toBe(400);
      }
    }
    expect(pages).toBe(5);
    expect(dates).toHaveLength(45);
    expect(new Set(dates).size).toBe(45);
    expect(dates[0]).toBe(20260101);
    expect(dates.at(-1)).toBe(20260214);
  });

  it("answers 204 when there is nothing, which the SDK returns as an empty result", async () => {
    const future = await sandbox.client.query.usage(subscription, custom("2026-04-01", "2026-04-05"));
    expect(future.rows).toBeUndefined();
    const noTeam = await sandbox.client.query.usage(
      subscription,
      custom("2026-02-01", "2026-02-03", { granularity: "Daily", aggregation: cost, filter: { tags: { name: "team", operator: "In", values: ["nobody"] } } }),
    );
    expect(noTeam.rows).toBeUndefined();
  });

  it("counts QPU per month queried and answers 429 with only the QPU retry header once 12 are used in 10 s", async () => {
    const seen: Record<string, string>[] = [];
    const threeMonths = custom("2025-12-01", "2026-02-28", { granularity: "None", aggregation: cost });
    for (let i = 0; i < 4; i += 1) {
      await sandbox.client.query.usage(subscription, threeMonths, { onResponse: (raw) => seen.push(raw.headers.toJSON()) });
    }
    expect(seen[0]!["x-ms-ratelimit-microsoft.costmanagement-qpu-consumed"]).toBe("3");
    expect(seen.map((h) => h["x-ms-ratelimit-microsoft.costmanagement-qpu-remaining"])).toEqual([
      "QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9",
      "QueriesPerHour:594,QueriesPerMin:54,QueriesPer10Sec:6",
      "QueriesPerHour:591,QueriesPerMin:51,QueriesPer10Sec:3",
      "QueriesPerHour:588,QueriesPerMin:48,QueriesPer10Sec:0",
    ]);
    const throttled = await restError(sandbox.client.query.usage(subscription, custom("2026-02-01", "2026-02-02")));
    expect(throttled.statusCode).toBe(429);
    const headers = throttled.response!.headers.toJSON();
    expect(headers[qpuRetryAfterHeader]).toBe("10");
    expect(headers["retry-after"]).toBeUndefined();
    clockMs += 10_000;
    const after = await sandbox.client.query.usage(subscription, custom("2026-02-01", "2026-02-02"));
    expect(after.rows).toHaveLength(2);
  });

  it("refuses what the real service refuses, with what to change", async () => {
    const three = await restError(
      sandbox.client.query.usage(
        subscription,
        custom("2026-02-01", "2026-02-02", {
          granularity: "None",
          aggregation: cost,
          grouping: [
            { type: "Dimension", name: "ResourceId" },
            { type: "Dimension", name: "ServiceName" },
            { type: "TagKey", name: "team" },
          ],
        }),
      ),
    );
    expect([three.statusCode, three.code]).toEqual([400, "BadRequest"]);
    expect(three.message).toMatch(/at most 2 clauses/);
    const unknown = await restError(
      sandbox.client.query.usage(
        subscription,
        custom("2026-02-01", "2026-02-02", { granularity: "None", aggregation: cost, grouping: [{ type: "Dimension", name: "Namespace" }] }),
      ),
    );
    expect(unknown.message).toMatch(/'Namespace'; valid values: 'ResourceGroupName'/);
    const backwards = await restError(
      sandbox.client.query.usage(subscription, {
        ...custom("2026-02-01", "2026-02-02"),
        timePeriod: { from: new Date("2026-02-05"), to: new Date("2026-02-01") },
      }),
    );
    expect(backwards.message).toMatch(/before timePeriod.from/);
    const noPeriod = await restError(sandbox.client.query.usage(subscription, { type: "ActualCost", timeframe: "Custom", dataset: { aggregation: cost } }));
    expect(noPeriod.message).toMatch(/needs timePeriod/);
    const otherSubscription = await restError(
      sandbox.client.query.usage("subscriptions/00000000-0000-4000-8000-000000000000", custom("2026-02-01", "2026-02-02")),
    );
    expect([otherSubscription.statusCode, otherSubscription.code]).toEqual([404, "SubscriptionNotFound"]);
  });

  it("wants an ARM token and an api-version, as ARM does", async () => {
    const url = `${sandbox.origin}/${subscription}/providers/Microsoft.CostManagement/query`;
    const body = JSON.parse(JSON.stringify(custom("2026-02-01", "2026-02-02"))) as unknown;
    const anonymous = await httpsJson(`${url}?api-version=2022-10-01`, { ca: sandbox.caPem, method: "POST", body });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: "AuthenticationFailed" } });
    const graphToken = (await sandbox.credential.getToken("https://graph.microsoft.com/.default"))!.token;
    const wrongAudience = await httpsJson(`${url}?api-version=2022-10-01`, { ca: sandbox.caPem, method: "POST", body, token: graphToken });
    expect(wrongAudience.body).toMatchObject({ error: { code: "InvalidAuthenticationTokenAudience" } });
    const armToken = (await sandbox.credential.getToken("https://management.azure.com/.default"))!.token;
    const noVersion = await httpsJson(url, { ca: sandbox.caPem, method: "POST", body, token: armToken });
    expect(noVersion.body).toMatchObject({ error: { code: "MissingApiVersionParameter" } });
    const billingAccount = await httpsJson(
      `${sandbox.origin}/providers/Microsoft.Billing/billingAccounts/1/providers/Microsoft.CostManagement/query?api-version=2022-10-01`,
      {
        ca: sandbox.caPem,
        method: "POST",
        body,
        token: armToken,
      },
    );
    expect(billingAccount.status).toBe(501);
  });

  it("is deterministic and bills in the configured currency", async () => {
    const body = custom("2026-02-01", "2026-02-28", { granularity: "None", aggregation: cost });
    const eur = await sandbox.client.query.usage(subscription, body);
    expect(await sandbox.client.query.usage(subscription, body)).toMatchObject({ rows: eur.rows });
    const usd = await startCostTestSandbox({ now: () => now, currency: "USD" });
    try {
      const dollars = await usd.client.query.usage(subscription, body);
      expect(dollars.rows![0]![1]).toBe("USD");
      expect((dollars.rows![0]![0] as number) / (eur.rows![0]![0] as number)).toBeCloseTo(1.08, 3);
    } finally {
      await usd.close();
    }
  });
});

describe("sandbox Cost Management forecast", () => {
  it("marks complete days Actual and the rest of the month Forecast in CostStatus", async () => {
    const result = await sandbox.client.forecast.usage(subscription, {
      type: "ActualCost",
      timeframe: "Custom",
      timePeriod: { from: new Date("2026-03-01T00:00:00Z"), to: new Date("2026-03-31T23:59:59Z") },
      dataset: { granularity: "Daily", aggregation: cost },
      includeActualCost: true,
    });
    expect(result.columns!.map((c) => c.name)).toEqual(["Cost", "UsageDate", "CostStatus", "Currency"]);
    let rows = [...result.rows!];
    for (let link = result.nextLink; link;) {
      const page = await postNextLink(link, {
        type: "ActualCost",
        timeframe: "Custom",
        timePeriod: { from: "2026-03-01T00:00:00.000Z", to: "2026-03-31T23:59:59.000Z" },
        dataset: { granularity: "Daily", aggregation: cost },
        includeActualCost: true,
      });
      const properties = page.json!.properties as { rows: unknown[][]; nextLink: string | null };
      rows = rows.concat(properties.rows as never);
      link = properties.nextLink ?? undefined;
    }
    expect(rows).toHaveLength(31);
    expect(rows.filter((row) => row[2] === "Actual").map((row) => row[1])).toEqual(Array.from({ length: 14 }, (_, i) => 20260301 + i));
    expect(rows.filter((row) => row[2] === "Forecast")).toHaveLength(17);
    // The forecast of a weekday is close to what a weekday has cost.
    const actualWeekday = rows.find((row) => row[1] === 20260310)![0] as number;
    const forecastWeekday = rows.find((row) => row[1] === 20260317)![0] as number;
    expect(forecastWeekday / actualWeekday).toBeGreaterThan(0.9);
    expect(forecastWeekday / actualWeekday).toBeLessThan(1.1);
  });
});
