// Cost Management queries through `@azure/arm-costmanagement`, the only module
// that touches that SDK. Answers are reshaped here into Wharf's own rows
// (CostRowData) and errors into CostQueryError; nothing outside sees an SDK
// type. Three things the SDK does not do are done here (research §3.2, §3.3):
// - paging: `query.usage` is not pageable, so each `nextLink` is POSTed with
//   the very body the first page sent (the SDK's own serialisation of it);
// - throttling: a 429 carries only `x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after`,
//   which the core pipeline does not read; we wait as it says, up to a limit,
//   then throw a throttled error that carries the wait;
// - pacing: `…-qpu-remaining` says when a quota window is spent, and the next
//   request waits for that window rather than earning a 429 (a sandbox that
//   runs its windows faster says so: `config.azure.costQuotaSpeed`).
// The SDK's own retries are off: it would retry a 500 three times with back-off
// inside a sync that is run again in a few hours anyway.
import { CostManagementClient, type ForecastDefinition, type QueryDefinition } from "@azure/arm-costmanagement";
import { createHttpHeaders, createPipelineRequest, isRestError, type PipelinePolicy, type PipelineResponse } from "@azure/core-rest-pipeline";
import type { WharfConfig } from "@/lib/config";
import { azureCredential, azureTlsOptions } from "@/lib/azure/credential";

/** One resource's cost on one day, in Wharf's shape. */
export interface CostRowData {
  /** The usage day, yyyy-mm-dd (UTC). */
  date: string;
  /** Lowercased ARM resource id. */
  resourceId: string;
  /** Lowercased resource group, read from the resource id. */
  resourceGroup: string;
  /** The value of the tag the query was grouped by, when the resource has it. */
  tagValue?: string;
  /** Integer minor units of `currency` (cents for EUR, yen for JPY). */
  costMinor: number;
  currency: string;
}

/** The tags allocation needs; each is one grouping, together with ResourceId. */
export const costTagKeys = ["team", "service"] as const;
export type CostTagKey = (typeof costTagKeys)[number];

export type CostErrorKind =
  /** 429 and the wait Cost Management asks for is longer than we may wait now. */
  | "throttled"
  /** 401/403: Wharf's identity lacks Cost Management Reader on the scope. */
  | "unauthorized"
  /** 400/404: the query or the scope was refused. */
  | "bad-query"
  /** 5xx or no answer. */
  | "unavailable";

export class CostQueryError extends Error {
  constructor(
    readonly kind: CostErrorKind,
    message: string,
    readonly httpStatus?: number,
    /** For `throttled`: seconds until Cost Management lets us ask again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "CostQueryError";
  }
}

export const qpuRetryAfterHeader = "x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after";
export const qpuRemainingHeader = "x-ms-ratelimit-microsoft.costmanagement-qpu-remaining";
export const qpuConsumedHeader = "x-ms-ratelimit-microsoft.costmanagement-qpu-consumed";

/** Seconds to wait for a 429 inside one query before giving up as throttled. */
export const defaultMaxThrottleWaitSeconds = 120;

type CostConfig = Pick<WharfConfig, "identity" | "azure" | "mode">;

/** Sees every HTTP attempt (tests and benchmarks count queries with it). `page`: a nextLink request. */
export type CostRequestObserver = (request: { method: string; url: string; page: boolean; status: number }) => void;

const observers = new Set<CostRequestObserver>();

export function observeCostRequests(observer: CostRequestObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

const observingPolicy: PipelinePolicy = {
  name: "wharfCostRequestObserver",
  async sendRequest(request, next) {
    let status = 0;
    try {
      const response = await next(request);
      status = response.status;
      return response;
    } finally {
      for (const observer of observers) {
        try {
          observer({ method: request.method, url: request.url, page: /[?&]\$skiptoken=/i.test(request.url), status });
        } catch {
          // An observer's bug must not fail a query.
        }
      }
    }
  },
};

let cached: { key: string; client: CostManagementClient } | undefined;

function client(config: CostConfig): CostManagementClient {
  const key = `${config.azure.costEndpoint}|${config.azure.costScope}|${config.identity.clientId}|${config.identity.caFile ?? ""}`;
  if (cached?.key === key) return cached.client;
  const tlsOptions = azureTlsOptions(config);
  const costClient = new CostManagementClient(azureCredential(config), {
    endpoint: config.azure.costEndpoint,
    credentialScopes: [config.azure.costScope],
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: observingPolicy, position: "perRetry" }],
    ...(tlsOptions && { tlsOptions }),
  });
  cached = { key, client: costClient };
  return costClient;
}

/**
 * `QueriesPerHour:597,QueriesPerMin:57,QueriesPer10Sec:9` → milliseconds to wait before the next query (0: none): the
 * whole window that is spent, divided by `speed` when the service runs its windows faster (the sandbox in tests).
 */
export function qpuPacingMs(remaining: string | undefined, speed = 1): number {
  if (!remaining) return 0;
  const windows: Record<string, number> = { queriesper10sec: 10_000, queriespermin: 60_000, queriesperhour: 3_600_000 };
  let wait = 0;
  for (const part of remaining.split(",")) {
    const [name, value] = part.split(":").map((s) => s.trim());
    const windowMs = windows[name?.toLowerCase() ?? ""];
    if (windowMs !== undefined && Number(value) <= 0) wait = Math.max(wait, Math.ceil(windowMs / speed));
  }
  return wait;
}

/** Whole seconds from the QPU retry header, or the standard Retry-After; undefined when neither is usable. */
export function qpuRetryAfterSeconds(headers: { get(name: string): string | undefined }): number | undefined {
  for (const name of [qpuRetryAfterHeader, "retry-after"]) {
    const value = Number(headers.get(name));
    if (Number.isFinite(value) && value >= 0 && headers.get(name) !== undefined) return Math.ceil(value);
  }
  return undefined;
}

// When the tenant's quota window says the next query must wait, per endpoint.
const notBefore = new Map<string, number>();

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function errorFor(status: number, message: string): CostQueryError {
  if (status === 401 || status === 403)
    return new CostQueryError(
      "unauthorized",
      `Cost Management refused Wharf's identity (${status}): ${message}. Grant it Cost Management Reader on the scope.`,
      status,
    );
  if (status === 400 || status === 404) return new CostQueryError("bad-query", `Cost Management refused the query (${status}): ${message}`, status);
  return new CostQueryError("unavailable", `Cost Management did not answer (${status || "no response"}): ${message}`, status || undefined);
}

interface Page {
  status: number;
  headers: { get(name: string): string | undefined };
  columns: { name?: string }[];
  rows: unknown[][];
  nextLink?: string;
  /** The body the SDK sent, for POSTing to nextLink. */
  sentBody?: string;
  /** What the service said when it refused. */
  errorMessage?: string;
}

/** The first page of a query or a forecast: the SDK operation, given the callback that sees the raw response. */
type FirstRequest = (
  costClient: CostManagementClient,
  onResponse: (response: PipelineResponse) => void,
) => Promise<{ columns?: { name?: string }[]; rows?: unknown[][]; nextLink?: string }>;

async function firstPage(costClient: CostManagementClient, send: FirstRequest): Promise<Page> {
  let raw: { status: number; headers: { get(name: string): string | undefined }; body?: string } | undefined;
  try {
    const result = await send(costClient, (response) => {
      raw = { status: response.status, headers: response.headers, body: typeof response.request.body === "string" ? response.request.body : undefined };
    });
    return {
      status: raw?.status ?? 200,
      headers: raw?.headers ?? createHttpHeaders(),
      columns: result.columns ?? [],
      rows: result.rows ?? [],
      nextLink: result.nextLink ?? undefined,
      sentBody: raw?.body,
    };
  } catch (error) {
    if (isRestError(error)) {
      const response = error.response;
      return {
        status: error.statusCode ?? 0,
        headers: response?.headers ?? createHttpHeaders(),
        columns: [],
        rows: [],
        nextLink: undefined,
        errorMessage: error.message,
      };
    }
    throw new CostQueryError("unavailable", `Cost Management did not answer: ${(error as Error).message}`);
  }
}

async function nextPage(costClient: CostManagementClient, nextLink: string, body: string): Promise<Page> {
  let response: PipelineResponse;
  try {
    response = await costClient.pipeline.sendRequest(
      costClient,
      createPipelineRequest({
        url: nextLink,
        method: "POST",
        headers: createHttpHeaders({ "content-type": "application/json", accept: "application/json" }),
        body,
      }),
    );
  } catch (error) {
    throw new CostQueryError("unavailable", `Cost Management did not answer a nextLink: ${(error as Error).message}`);
  }
  const text = response.bodyAsText ?? "";
  let json: { properties?: { columns?: { name: string }[]; rows?: unknown[][]; nextLink?: string | null }; error?: { message?: string } } = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    // A body that is not JSON: its status speaks for it.
  }
  if (response.status !== 200)
    return { status: response.status, headers: response.headers, columns: [], rows: [], errorMessage: json.error?.message ?? text.slice(0, 200) };
  return {
    status: 200,
    headers: response.headers,
    columns: json.properties?.columns ?? [],
    rows: json.properties?.rows ?? [],
    nextLink: json.properties?.nextLink ?? undefined,
  };
}

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

function toRows(columns: { name?: string }[], rows: unknown[][], tagKey: string): CostRowData[] {
  const at = (name: string) => columns.findIndex((c) => (c.name ?? "").toLowerCase() === name.toLowerCase());
  const cost = [at("Cost"), at("PreTaxCost"), at("CostUSD")].find((i) => i >= 0) ?? -1;
  const date = at("UsageDate");
  const resource = at("ResourceId");
  const key = at("TagKey");
  const value = at("TagValue");
  const currencyAt = at("Currency");
  if (cost < 0 || date < 0 || resource < 0 || currencyAt < 0) {
    throw new CostQueryError(
      "bad-query",
      `Cost Management answered columns ${columns.map((c) => c.name).join(", ")}; expected a cost column, UsageDate, ResourceId and Currency.`,
    );
  }
  return rows.map((row) => {
    const currency = String(row[currencyAt]);
    const resourceId = String(row[resource]).toLowerCase();
    const day = String(row[date]);
    const tagged = key >= 0 && value >= 0 && typeof row[key] === "string" && String(row[key]).toLowerCase() === tagKey.toLowerCase() && row[value] != null;
    return {
      date: `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`,
      resourceId,
      resourceGroup: /\/resourcegroups\/([^/]+)/.exec(resourceId)?.[1] ?? "",
      ...(tagged && { tagValue: String(row[value]) }),
      // Amounts arrive as decimals of the major unit; the bill is whole minor units.
      costMinor: Math.round(Number(row[cost]) * 10 ** minorDigits(currency)),
      currency,
    };
  });
}

export interface MonthQuery {
  /** Cost Management scope without a leading slash, such as subscriptions/<id>. */
  scope: string;
  /** yyyy-mm (UTC calendar month). */
  month: string;
  /** The tag grouped by, together with ResourceId. */
  tagKey: CostTagKey;
  maxThrottleWaitSeconds?: number;
  signal?: AbortSignal;
}

/** The query for one month of one scope by day, grouped by ResourceId and one tag. */
export function monthDefinition(month: string, tagKey: CostTagKey): QueryDefinition {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return {
    type: "ActualCost",
    timeframe: "Custom",
    timePeriod: { from: new Date(Date.UTC(year, monthNumber - 1, 1)), to: new Date(Date.UTC(year, monthNumber, 0, 23, 59, 59)) },
    dataset: {
      granularity: "Daily",
      aggregation: { totalCost: { name: "Cost", function: "Sum" } },
      grouping: [
        { type: "Dimension", name: "ResourceId" },
        { type: "TagKey", name: tagKey },
      ],
    },
  };
}

/**
 * Every page of one request: waits out 429s (up to `maxThrottleWaitSeconds` in
 * all) and the quota windows the QPU headers report; 204 is no pages. The query
 * and the forecast share this, and with it the tenant's QPU pacing. Throws CostQueryError.
 */
async function allPages(
  config: CostConfig,
  request: { send: FirstRequest; definition: unknown; maxThrottleWaitSeconds?: number; signal?: AbortSignal },
): Promise<{ columns: { name?: string }[]; rows: unknown[][] }[]> {
  const costClient = client(config);
  const endpoint = config.azure.costEndpoint;
  let waitBudgetMs = (request.maxThrottleWaitSeconds ?? defaultMaxThrottleWaitSeconds) * 1000;
  const pages: { columns: { name?: string }[]; rows: unknown[][] }[] = [];
  let body: string | undefined;
  let link: string | undefined;
  let first = true;
  while (first || link) {
    const pacing = (notBefore.get(endpoint) ?? 0) - Date.now();
    if (pacing > 0) {
      if (pacing > waitBudgetMs)
        throw new CostQueryError("throttled", `Cost Management's query quota is spent for ${Math.ceil(pacing / 1000)} s.`, undefined, Math.ceil(pacing / 1000));
      waitBudgetMs -= pacing;
      await sleep(pacing, request.signal);
    }
    const page = first ? await firstPage(costClient, request.send) : await nextPage(costClient, link!, body!);
    const pace = qpuPacingMs(page.headers.get(qpuRemainingHeader), config.azure.costQuotaSpeed);
    if (pace > 0) notBefore.set(endpoint, Date.now() + pace);
    if (page.status === 429) {
      const seconds = qpuRetryAfterSeconds(page.headers) ?? 10;
      if (seconds * 1000 > waitBudgetMs) throw new CostQueryError("throttled", `Cost Management throttled the query (429) for ${seconds} s.`, 429, seconds);
      waitBudgetMs -= seconds * 1000;
      await sleep(seconds * 1000, request.signal);
      continue;
    }
    if (page.status === 204) return pages;
    if (page.status !== 200) throw errorFor(page.status, page.errorMessage ?? "");
    if (first) {
      // nextLink wants the same body; the SDK's serialisation of it is the body the service saw.
      body = page.sentBody ?? JSON.stringify(request.definition);
      first = false;
    }
    pages.push({ columns: page.columns, rows: page.rows });
    link = page.nextLink;
  }
  return pages;
}

/** One month of one scope by day and resource, every page of it; 204 is an empty month. Throws CostQueryError. */
export async function queryMonthByDay(config: CostConfig, query: MonthQuery): Promise<CostRowData[]> {
  const definition = monthDefinition(query.month, query.tagKey);
  const pages = await allPages(config, {
    send: (costClient, onResponse) => costClient.query.usage(query.scope, definition, { onResponse }),
    definition,
    maxThrottleWaitSeconds: query.maxThrottleWaitSeconds,
    signal: query.signal,
  });
  return pages.flatMap((page) => toRows(page.columns, page.rows, query.tagKey));
}

/** Cost Management's forecast of one scope's month, in Wharf's shape. */
export type MonthForecast =
  /** 204: Cost Management has no forecast for the scope (too little history, or nothing billed). */
  | { status: "none" }
  | {
      status: "forecast";
      currency: string;
      /** Days Cost Management marks Actual (complete days), in minor units. */
      actualMinor: number;
      /** The rest of the month, days marked Forecast, in minor units. */
      forecastRemainderMinor: number;
      /** actual + forecast remainder: the month as Cost Management expects it to end. */
      totalMinor: number;
      /** The last day marked Actual (yyyy-mm-dd), null when none is. */
      actualThrough: string | null;
    };

/** The Forecast API body for a whole month by day, complete days as actual cost (research §3.5). */
export function forecastDefinition(month: string): ForecastDefinition {
  const [year, monthNumber] = month.split("-").map(Number) as [number, number];
  return {
    type: "ActualCost",
    timeframe: "Custom",
    timePeriod: { from: new Date(Date.UTC(year, monthNumber - 1, 1)), to: new Date(Date.UTC(year, monthNumber, 0, 23, 59, 59)) },
    dataset: { granularity: "Daily", aggregation: { totalCost: { name: "Cost", function: "Sum" } } },
    includeActualCost: true,
    includeFreshPartialCost: false,
  };
}

/** Forecast rows (cost, UsageDate, CostStatus, Currency) to the month's figures; columns read by name. */
export function toMonthForecast(pages: { columns: { name?: string }[]; rows: unknown[][] }[]): MonthForecast {
  const rows = pages.flatMap((page) => page.rows.map((row) => ({ columns: page.columns, row })));
  if (rows.length === 0) return { status: "none" };
  let actualMinor = 0;
  let forecastRemainderMinor = 0;
  let actualThrough: string | null = null;
  let currency: string | undefined;
  for (const { columns, row } of rows) {
    const at = (name: string) => columns.findIndex((c) => (c.name ?? "").toLowerCase() === name.toLowerCase());
    const cost = [at("Cost"), at("PreTaxCost"), at("CostUSD")].find((i) => i >= 0) ?? -1;
    const status = at("CostStatus");
    const currencyAt = at("Currency");
    const date = at("UsageDate");
    if (cost < 0 || status < 0 || currencyAt < 0)
      throw new CostQueryError(
        "bad-query",
        `Cost Management's forecast answered columns ${columns.map((c) => c.name).join(", ")}; expected a cost column, CostStatus and Currency.`,
      );
    const rowCurrency = String(row[currencyAt]);
    if (currency !== undefined && rowCurrency !== currency)
      throw new CostQueryError("bad-query", `Cost Management's forecast mixes currencies (${currency}, ${rowCurrency}); Wharf cannot add them up.`);
    currency = rowCurrency;
    const minor = Math.round(Number(row[cost]) * 10 ** minorDigits(rowCurrency));
    if (String(row[status]).toLowerCase() === "actual") {
      actualMinor += minor;
      const day = date >= 0 ? String(row[date]) : "";
      const iso = `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}`;
      if (day.length === 8 && (actualThrough === null || iso > actualThrough)) actualThrough = iso;
    } else forecastRemainderMinor += minor;
  }
  return { status: "forecast", currency: currency!, actualMinor, forecastRemainderMinor, totalMinor: actualMinor + forecastRemainderMinor, actualThrough };
}

/**
 * Cost Management's forecast for one scope's month (the Forecast API through the SDK's `forecast.usage`), every page,
 * with the query's QPU waits and 429 handling; 204 is `{ status: "none" }`. Throws CostQueryError.
 */
export async function forecastMonth(
  config: CostConfig,
  query: { scope: string; month: string; maxThrottleWaitSeconds?: number; signal?: AbortSignal },
): Promise<MonthForecast> {
  const definition = forecastDefinition(query.month);
  const pages = await allPages(config, {
    send: (costClient, onResponse) => costClient.forecast.usage(query.scope, definition, { onResponse }),
    definition,
    maxThrottleWaitSeconds: query.maxThrottleWaitSeconds,
    signal: query.signal,
  });
  return toMonthForecast(pages);
}
