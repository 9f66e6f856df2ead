// Log Analytics queries through `@azure/monitor-query-logs`, the only module
// that touches that SDK. Results and errors are reshaped here into Wharf's own
// types (LogsTable, LogsQueryOutcome, LogsError); nothing outside sees an SDK
// type. The SDK's own retries are off: it would sleep out a 429's Retry-After
// (up to 3 times) inside the poll cycle; instead a cycle sends exactly one
// request per workspace and the poller does not ask that workspace again
// before the Retry-After has passed (lib/health/poll-workspaces.ts).
import { LogsQueryClient, LogsQueryResultStatus, type LogsQueryError, type LogsQueryResult, type QueryBatch } from "@azure/monitor-query-logs";
import type { PipelinePolicy } from "@azure/core-rest-pipeline";
import type { WharfConfig } from "@/lib/config";
import { azureCredential, azureTlsOptions } from "@/lib/azure/credential";

export interface LogsColumn {
  name: string;
  /** Log Analytics' type name: bool, datetime, dynamic, int, long, real, string, guid, decimal, timespan. */
  type: string;
}

/** One result table: datetime cells are Dates, dynamic cells parsed JSON, numbers numbers. */
export interface LogsTable {
  name: string;
  columns: LogsColumn[];
  rows: unknown[][];
}

export type LogsErrorKind =
  /** 429: too many queries; `retryAfterSeconds` when the service said when to come back. */
  | "throttled"
  /** 401/403: Wharf's identity may not read the workspace (it needs Log Analytics Reader). */
  | "unauthorized"
  /** 400: the query itself was refused (a bug in Wharf's query, or a table the workspace lacks). */
  | "bad-query"
  /** The query ran in part (PartialError): some tables came back, with this error. */
  | "partial"
  /** 5xx, 504 timeout, or no answer at all (connection refused, dropped, TLS). */
  | "unavailable";

export interface LogsError {
  kind: LogsErrorKind;
  /** Log Analytics' error code (ThrottledError, BadArgumentError, PartialError, …) or the network error's code. */
  code: string;
  message: string;
  httpStatus?: number;
  retryAfterSeconds?: number;
}

export type LogsQueryOutcome =
  { status: "success"; tables: LogsTable[] } | { status: "partial"; tables: LogsTable[]; error: LogsError } | { status: "failed"; error: LogsError };

export interface LogsQueryRequest {
  /** The workspace's customer id (a GUID), which the query API addresses. */
  workspaceId: string;
  query: string;
  /** ISO 8601 duration such as PT20M. */
  timespan: string;
  serverTimeoutSeconds?: number;
}

type LogsConfig = Pick<WharfConfig, "identity" | "azure" | "mode">;

/**
 * Sees every HTTP attempt the client makes (benchmarks and tests count requests
 * per cycle with it). `workspaces`: the workspace ids the request asks, from
 * the URL or, for a $batch, from its body.
 */
export type LogsRequestObserver = (request: { method: string; url: string; workspaces: string[] }) => void;

function workspacesOf(url: string, body: unknown): string[] {
  const inUrl = /\/workspaces\/([^/?]+)/.exec(url)?.[1];
  if (inUrl) return [decodeURIComponent(inUrl)];
  if (typeof body !== "string") return [];
  try {
    const parsed = JSON.parse(body) as { requests?: { workspace?: unknown }[] };
    return [...new Set((parsed.requests ?? []).map((item) => String(item.workspace ?? "")))];
  } catch {
    return [];
  }
}

const observers = new Set<LogsRequestObserver>();

export function observeLogsRequests(observer: LogsRequestObserver): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

const observingPolicy: PipelinePolicy = {
  name: "wharfLogsRequestObserver",
  async sendRequest(request, next) {
    for (const observer of observers) {
      try {
        observer({ method: request.method, url: request.url, workspaces: workspacesOf(request.url, request.body) });
      } catch {
        // An observer's bug must not fail a query.
      }
    }
    return next(request);
  },
};

let cached: { key: string; client: LogsQueryClient } | undefined;

function client(config: LogsConfig): LogsQueryClient {
  const key = `${config.azure.logsEndpoint}|${config.azure.logsScope}|${config.identity.clientId}|${config.identity.caFile ?? ""}`;
  if (cached?.key === key) return cached.client;
  const tlsOptions = azureTlsOptions(config);
  const logsClient = new LogsQueryClient(azureCredential(config), {
    // Used verbatim as the base URL: it ends in /v1.
    endpoint: config.azure.logsEndpoint,
    // `audience` is ignored by monitor-query-logs 1.0.0 (Azure/azure-sdk-for-js#39506); scopes are honoured.
    credentials: { scopes: [config.azure.logsScope] },
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: observingPolicy, position: "perRetry" }],
    ...(tlsOptions && { tlsOptions }),
  });
  cached = { key, client: logsClient };
  return logsClient;
}

/** Seconds from a Retry-After header (seconds or an HTTP date), or retry-after-ms / x-ms-retry-after-ms. */
export function parseRetryAfter(headers: { get(name: string): string | undefined } | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const ms = Number(headers.get(name));
    if (headers.get(name) && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms / 1000);
  }
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

function kindOf(status: number | undefined): LogsErrorKind {
  if (status === 429) return "throttled";
  if (status === 401 || status === 403) return "unauthorized";
  if (status !== undefined && status >= 400 && status < 500 && status !== 408) return "bad-query";
  return "unavailable";
}

/** A RestError (HTTP status, Log Analytics' error code, Retry-After) or a network error, as Wharf's LogsError. */
export function reshapeLogsError(error: unknown): LogsError {
  const shaped = error as {
    statusCode?: number;
    code?: string;
    message?: string;
    response?: { headers?: { get(name: string): string | undefined } };
    details?: { error?: { code?: string; message?: string; innererror?: { message?: string } } };
  };
  const status = typeof shaped.statusCode === "number" ? shaped.statusCode : undefined;
  const body = shaped.details?.error;
  const code = body?.code ?? shaped.code ?? (status ? String(status) : "NetworkError");
  const inner = body?.innererror?.message;
  const text = (body?.message ?? shaped.message ?? String(error)).split("\n")[0]!;
  const message = [status ? `HTTP ${status}` : undefined, code !== text ? code : undefined, inner && !text.includes(inner) ? `${text} (${inner})` : text]
    .filter(Boolean)
    .join(": ");
  const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(shaped.response?.headers) : undefined;
  return {
    kind: kindOf(status),
    code,
    message,
    ...(status !== undefined && { httpStatus: status }),
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
  };
}

function reshapeTable(table: { name: string; columnDescriptors: { name?: string; type?: string }[]; rows: unknown[][] }): LogsTable {
  return {
    name: table.name,
    columns: table.columnDescriptors.map((column) => ({ name: column.name ?? "", type: column.type ?? "dynamic" })),
    rows: table.rows,
  };
}

export function reshapeLogsResult(result: LogsQueryResult | LogsQueryError): LogsQueryOutcome {
  if (result.status === LogsQueryResultStatus.Success) return { status: "success", tables: result.tables.map(reshapeTable) };
  if (result.status === LogsQueryResultStatus.PartialFailure) {
    // Inside a $batch, a query the service refused outright also arrives as a partial failure, with no tables.
    if (result.partialTables.length === 0 && result.partialError.code !== "PartialError") {
      const code = result.partialError.code;
      const kind: LogsErrorKind = /throttl|toomany/i.test(code)
        ? "throttled"
        : /auth|forbidden|insufficient/i.test(code)
          ? "unauthorized"
          : /badargument|syntax|semantic/i.test(code)
            ? "bad-query"
            : "unavailable";
      return { status: "failed", error: { kind, code, message: `${code}: ${result.partialError.message}` } };
    }
    const details = (result.partialError.details ?? []).map((detail) => detail.message).filter(Boolean);
    return {
      status: "partial",
      tables: result.partialTables.map(reshapeTable),
      error: {
        kind: "partial",
        code: result.partialError.code,
        message: [result.partialError.message, ...details].join(" "),
      },
    };
  }
  // A batch answer with no body at all: the SDK's code is the HTTP status.
  const status = Number(result.code);
  return {
    status: "failed",
    error: { kind: kindOf(Number.isFinite(status) ? status : undefined), code: result.code, message: result.message || "The query failed." },
  };
}

/** One query against one workspace. Never throws for what the service or the network answers: that is the outcome. */
export async function queryWorkspace(config: LogsConfig, request: LogsQueryRequest, options: { signal?: AbortSignal } = {}): Promise<LogsQueryOutcome> {
  try {
    const result = await client(config).queryWorkspace(
      request.workspaceId,
      request.query,
      { duration: request.timespan },
      { serverTimeoutInSeconds: request.serverTimeoutSeconds ?? 60, abortSignal: options.signal },
    );
    return reshapeLogsResult(result);
  } catch (error) {
    if (options.signal?.aborted) throw error;
    return { status: "failed", error: reshapeLogsError(error) };
  }
}

/** A failed batch answer with its own HTTP status and Retry-After, as a single query's failure would carry them. */
type BatchAnswer = { status?: number; headers?: Record<string, string>; body?: { error?: { innererror?: { message?: unknown } } } };

function withAnswerStatus(outcome: LogsQueryOutcome, answer: BatchAnswer | undefined): LogsQueryOutcome {
  if (outcome.status !== "failed" || typeof answer?.status !== "number" || answer.status < 400) return outcome;
  // The SDK drops the answer's innererror, which says what is wrong with the query (an unknown column, a bad timespan).
  const inner = answer.body?.error?.innererror?.message;
  const detail = typeof inner === "string" && inner && !outcome.error.message.includes(inner) ? ` (${inner})` : "";
  const headers = new Map(Object.entries(answer.headers ?? {}).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const retryAfterSeconds = answer.status === 429 || answer.status === 503 ? parseRetryAfter({ get: (name) => headers.get(name) }) : undefined;
  return {
    status: "failed",
    error: {
      ...outcome.error,
      kind: kindOf(answer.status),
      httpStatus: answer.status,
      message: (outcome.error.message.startsWith("HTTP ") ? outcome.error.message : `HTTP ${answer.status}: ${outcome.error.message}`) + detail,
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    },
  };
}

/**
 * Several queries in one `$batch` request; outcomes in the order asked. A
 * failure of the whole request (429, network) is every query's outcome.
 */
export async function queryBatch(
  config: LogsConfig,
  requests: readonly LogsQueryRequest[],
  options: { signal?: AbortSignal } = {},
): Promise<LogsQueryOutcome[]> {
  if (requests.length === 0) return [];
  const batch: QueryBatch[] = requests.map((request) => ({
    workspaceId: request.workspaceId,
    query: request.query,
    timespan: { duration: request.timespan },
    serverTimeoutInSeconds: request.serverTimeoutSeconds ?? 60,
  }));
  // The SDK drops each answer's HTTP status and headers; they are read from the raw body so a throttled query keeps its Retry-After.
  let answers: BatchAnswer[] = [];
  try {
    const results = await client(config).queryBatch(batch, {
      abortSignal: options.signal,
      onResponse: (raw) => {
        try {
          const body = (raw.parsedBody ?? (raw.bodyAsText ? JSON.parse(raw.bodyAsText) : undefined)) as { responses?: typeof answers } | undefined;
          answers = Array.isArray(body?.responses) ? body.responses : [];
        } catch {
          // A body that is not JSON: the SDK reports it; the answers just lack their statuses.
          answers = [];
        }
      },
    });
    return requests.map((_, index) => {
      const result = results[index];
      if (!result)
        return {
          status: "failed",
          error: { kind: "unavailable", code: "MissingResponse", message: `The batch response had no answer for query ${index + 1}.` },
        };
      return withAnswerStatus(reshapeLogsResult(result), answers[index]);
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const failure = reshapeLogsError(error);
    return requests.map(() => ({ status: "failed", error: failure }));
  }
}
