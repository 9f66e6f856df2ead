// One Log Analytics query, as the single query endpoint and each item of a
// $batch run it: validate the body, resolve the timespan, take a quota slot,
// evaluate the KQL over the workspaces' synthetic telemetry, and shape the
// answer (tables, statistics, PartialError) or the error, as the service does.
import { performance } from "node:perf_hooks";
import { z } from "zod";
import type { Faults } from "../faults";
import { appInsightsTables, type AppInsightsTableName } from "./app-insights-schema";
import { kqlSourceColumns } from "./kql/evaluate";
import { KqlMemoryError } from "./kql/memory";
import { KqlError, type KqlResultTable, type KqlRow, type KqlTableSource, type RunKql } from "./kql/types";
import { logsErrorBody } from "./responses";
import { workspaceTelemetry, type StoreOf } from "./telemetry/cluster-state";
import { createTelemetrySource, dropBuckets, retentionMs, type TelemetrySource } from "./telemetry/source";
import { resolveTimespan, TimespanError } from "./timespan";
import { findWorkspace, type SandboxWorkspace } from "../workspaces";

/** Log Analytics returns at most this many rows per query; more is a PartialError with the rows cut. */
export const maxResultRows = 500_000;
/** The longest `Prefer: wait=` the service honours, in seconds (and its default). */
const maxWaitSeconds = 600;
const defaultWaitSeconds = 180;

export const queryBody = z
  .object({
    query: z.string({ error: "query must be a string of KQL" }).trim().min(1, "query must not be empty"),
    timespan: z.string().optional(),
    workspaces: z.array(z.string().min(1)).max(100).optional(),
  })
  .loose();

export interface QueryContext {
  runKql: RunKql;
  storeOf: StoreOf;
  faults: Faults;
  seed: string;
  clock: () => Date;
}

export interface QueryAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface Preferences {
  waitSeconds: number;
  statistics: boolean;
  render: boolean;
  /** What the answer's `Preference-Applied` echoes. */
  applied: string[];
}

/** `Prefer: wait=60,include-statistics=true` (the SDK joins with commas, no spaces). */
export function parsePrefer(header: string | undefined): Preferences {
  const preferences: Preferences = { waitSeconds: defaultWaitSeconds, statistics: false, render: false, applied: [] };
  for (const part of (header ?? "").split(/[,;]/)) {
    const [key = "", value = ""] = part
      .trim()
      .split("=")
      .map((s) => s.trim().toLowerCase());
    if (key === "wait" && /^\d+$/.test(value)) {
      preferences.waitSeconds = Math.min(maxWaitSeconds, Number(value));
      preferences.applied.push(`wait=${preferences.waitSeconds}`);
    } else if (key === "include-statistics" && value === "true") {
      preferences.statistics = true;
      preferences.applied.push("include-statistics=true");
    } else if (key === "include-render" && value === "true") {
      preferences.render = true;
      preferences.applied.push("include-render=true");
    }
  }
  return preferences;
}

const badArgument = (code: string, message: string): QueryAnswer => ({
  status: 400,
  body: logsErrorBody("BadArgumentError", "The request had some invalid properties", { code, message }),
  headers: {},
});

export function workspaceNotFound(reference: string): QueryAnswer {
  return { status: 404, body: logsErrorBody("WorkspaceNotFoundError", `The workspace '${reference}' could not be found.`), headers: {} };
}

/** Counts what the evaluator reads, for statistics; optionally only one component's rows (a resource-centric query). */
function countingSource(source: TelemetrySource, resourceId: string | undefined, counter: { rows: number }): KqlTableSource {
  return {
    *rows(table: AppInsightsTableName, range) {
      for (const row of source.rows(table, range) as Iterable<KqlRow>) {
        if (resourceId !== undefined && row._ResourceId !== resourceId) continue;
        counter.rows += 1;
        yield row;
      }
    },
    *columns(table: AppInsightsTableName, range, columns) {
      if (resourceId === undefined) {
        for (const batch of source.columns(table, range, columns)) {
          counter.rows += batch.length;
          yield batch;
        }
        return;
      }
      // One component's rows: its _ResourceId is read too, then left out again.
      const at = columns.indexOf("_ResourceId");
      const read = at >= 0 ? columns : [...columns, "_ResourceId"];
      const resource = at >= 0 ? at : columns.length;
      for (const batch of source.columns(table, range, read)) {
        const keep: number[] = [];
        for (let r = 0; r < batch.length; r++) if (batch.values[resource]![r] === resourceId) keep.push(r);
        if (keep.length === 0) continue;
        counter.rows += keep.length;
        yield { length: keep.length, values: batch.values.slice(0, columns.length).map((values) => keep.map((r) => values[r])) };
      }
    },
  };
}

export interface QueryTarget {
  workspace: SandboxWorkspace;
  /** Only this component's rows (`_ResourceId`, lowercase), for queries addressed to a component. */
  resourceId?: string;
}

/** The tables a query names: their buckets are generated before evaluation, with the event loop free between buckets. */
function tablesNamed(query: string): AppInsightsTableName[] {
  return (Object.keys(appInsightsTables) as AppInsightsTableName[]).filter((table) => new RegExp(`\\b${table}\\b`).test(query));
}

export async function runQuery(context: QueryContext, target: QueryTarget, rawBody: unknown, prefer: Preferences): Promise<QueryAnswer> {
  const parsed = queryBody.safeParse(rawBody);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return badArgument("InvalidArgumentError", `${issue.path.join(".") || "body"}: ${issue.message}`);
  }
  const body = parsed.data;
  const workspaces = [target.workspace];
  for (const reference of body.workspaces ?? []) {
    const found = findWorkspace(reference);
    if (!found) return workspaceNotFound(reference);
    if (!workspaces.includes(found)) workspaces.push(found);
  }
  const now = context.clock();
  let range;
  try {
    range = resolveTimespan(body.timespan, now, retentionMs);
  } catch (error) {
    if (error instanceof TimespanError) return badArgument("InvalidTimespanError", error.message);
    throw error;
  }

  const started = performance.now();
  const counter = { rows: 0 };
  const telemetry = createTelemetrySource({ seed: context.seed, now, workspaces: workspaces.map((w) => workspaceTelemetry(context.storeOf, w)) });
  // Only a warm-up, of the columns the evaluator will read: it asks the source for what it really reads, cached or not.
  const columns = kqlSourceColumns(body.query);
  if (target.resourceId !== undefined) for (const [table, names] of columns) if (!names.includes("_ResourceId")) columns.set(table, [...names, "_ResourceId"]);
  await telemetry.prepare(tablesNamed(body.query), range, columns);
  let tables: KqlResultTable[];
  try {
    tables = context.runKql(body.query, countingSource(telemetry, target.resourceId, counter), { now, range });
  } catch (error) {
    if (error instanceof KqlError) return badArgument(error.code, error.message);
    // Stopped before it took the whole sandbox down (kql/memory.ts): an answer for this query alone, the rest go on.
    if (error instanceof KqlMemoryError) {
      // The generated buckets are the one thing here that can go: room for the next query.
      dropBuckets();
      return { status: 400, body: logsErrorBody("InsufficientMemoryError", error.message), headers: {} };
    }
    throw error;
  }
  const seconds = (performance.now() - started) / 1000;
  if (seconds > prefer.waitSeconds) {
    return {
      status: 504,
      body: logsErrorBody("GatewayTimeout", `The query ran longer than the ${prefer.waitSeconds} seconds allowed by Prefer: wait.`),
      headers: {},
    };
  }
  const details: unknown[] = [];
  const cut = tables.map((table) => {
    if (table.rows.length <= maxResultRows) return table;
    details.push({
      code: "EngineError",
      message:
        `Query result set has exceeded the internal record count limit ${maxResultRows} ` +
        "(E_QUERY_RESULT_SET_TOO_LARGE; see https://aka.ms/kustoquerylimits)",
      innererror: { code: "-2133196797", message: "E_QUERY_RESULT_SET_TOO_LARGE" },
    });
    return { ...table, rows: table.rows.slice(0, maxResultRows) };
  });
  for (const workspace of workspaces) {
    if (context.faults.partialError({ api: "logs", workspace: { id: workspace.customerId, name: workspace.name } })) {
      details.push({
        code: "EngineError",
        message: `injected by the sandbox (/_sandbox/faults): part of workspace ${workspace.name} did not answer; the results may be incomplete`,
        innererror: { code: "-2133196794", message: "E_PARTIAL_QUERY_FAILURE" },
      });
    }
  }
  const answer: Record<string, unknown> = { tables: cut };
  if (prefer.statistics) {
    answer.statistics = {
      query: {
        executionTime: Math.round(seconds * 1e6) / 1e6,
        resourceUsage: { cpu: { "total cpu": formatSpan(seconds) }, memory: { peak_per_node: 0 } },
        inputDatasetStatistics: { rows: { total: counter.rows, scanned: counter.rows } },
        datasetStatistics: cut.map((table) => ({ tableRowCount: table.rows.length, tableSize: table.rows.length * table.columns.length * 8 })),
      },
    };
  }
  if (details.length) answer.error = { code: "PartialError", message: "There were some errors when processing your query.", details };
  return { status: 200, body: answer, headers: prefer.applied.length ? { "preference-applied": prefer.applied.join(",") } : {} };
}

/** A timespan as Kusto prints it: 00:00:00.0123456. */
function formatSpan(seconds: number): string {
  const whole = Math.floor(seconds);
  const pad = (n: number) => String(n).padStart(2, "0");
  const fraction = String(Math.round((seconds - whole) * 1e7)).padStart(7, "0");
  return `${pad(Math.floor(whole / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}.${fraction}`;
}
