// Every KQL query Wharf sends to Log Analytics, each named, with the mapping
// that turns its result tables into Wharf's own types. Values that come from
// people or the catalog (role names) never reach a query as raw text: they
// become KQL string literals through `kqlString` inside a `dynamic([...])`
// list, and numbers (the window) are checked whole numbers before they are
// written. `queries.test.ts` parses every query this module can produce with
// Microsoft's parser and expects zero diagnostics.
import type { LogsTable } from "@/lib/azure/logs";

/**
 * A KQL string literal whose value is exactly `value`: quotes and
 * backslashes escaped, and every control character (newlines among them) as
 * a \uXXXX escape, so no input can end the literal or start a new line.
 */
export function kqlString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (char === '"') out += '\\"';
    else if (char === "\\") out += "\\\\";
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += char;
  }
  return `${out}"`;
}

/** `dynamic(["a", "b"])`: a list of strings as one KQL value. */
export function kqlStringList(values: readonly string[]): string {
  return `dynamic([${values.map(kqlString).join(", ")}])`;
}

/** A timespan in whole minutes (`15m`); anything else is refused rather than written into a query. */
export function kqlMinutes(minutes: number): string {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 7 * 24 * 60) {
    throw new RangeError(`A query window must be a whole number of minutes between 1 and 10080; got ${minutes}.`);
  }
  return `${minutes}m`;
}

export const defaultHealthWindowMinutes = 15;

export interface HealthQueryParams {
  /** The App Insights role names Wharf knows (Service.appInsightsRoleName), deduplicated by the caller or here. */
  roles: readonly string[];
  windowMinutes?: number;
}

export interface NamedQuery {
  name: string;
  text: string;
  /** The timespan to send with it (ISO 8601 duration), a little wider than the query's own filter. */
  timespan: string;
}

/**
 * The health query for one workspace: per role and component (`_ResourceId`)
 * over the window, requests, failures, failure rate and p95 duration (all
 * weighted by ItemCount: sampled telemetry stands for ItemCount requests);
 * the same per minute, for the samples; availability test results per role.
 * One table, told apart by `Grain` (window | minute | availability).
 */
export function healthQuery(params: HealthQueryParams): NamedQuery {
  const roles = [...new Set(params.roles)].sort();
  if (roles.length === 0) throw new RangeError("The health query needs at least one role name.");
  const windowMinutes = params.windowMinutes ?? defaultHealthWindowMinutes;
  const window = kqlMinutes(windowMinutes);
  const text = [
    `let roles = ${kqlStringList(roles)};`,
    `let since = ago(${window});`,
    "let req = AppRequests",
    "    | where TimeGenerated >= since",
    "    | where AppRoleName in (roles);",
    "let perWindow = req",
    "    | summarize Requests = sum(ItemCount), Failed = sumif(ItemCount, Success == false), " +
      "P95DurationMs = percentilew(DurationMs, ItemCount, 95), " +
      // What the sampled rows are worth as evidence (sampledEffectiveCount): the weights' squares.
      "RequestsSquares = sum(ItemCount * ItemCount), FailedSquares = sumif(ItemCount * ItemCount, Success == false) by AppRoleName, ResourceId = _ResourceId",
    '    | extend Grain = "window";',
    "let perMinute = req",
    "    | summarize Requests = sum(ItemCount), Failed = sumif(ItemCount, Success == false), P95DurationMs = " +
      "percentilew(DurationMs, ItemCount, 95) by AppRoleName, ResourceId = _ResourceId, Minute = bin(TimeGenerated, 1m)",
    '    | extend Grain = "minute";',
    "let availability = AppAvailabilityResults",
    "    | where TimeGenerated >= since",
    // Standard (portal) availability tests leave AppRoleName empty: such a test is matched to the role its name gives.
    "    | extend AppRoleName = iff(isnotempty(AppRoleName), AppRoleName, Name)",
    "    | where AppRoleName in (roles)",
    "    | summarize AvailabilityRuns = sum(ItemCount), AvailabilityPassed = sumif(ItemCount, Success == true) by AppRoleName",
    '    | extend Grain = "availability";',
    "union perWindow, perMinute, availability",
    "| extend FailureRatePct = iff(Requests > 0, round(100.0 * Failed / Requests, 3), real(null)),",
    "         AvailabilityPct = iff(AvailabilityRuns > 0, round(100.0 * AvailabilityPassed / AvailabilityRuns, 3), real(null))",
    "| project Grain, AppRoleName, ResourceId, Minute, Requests, Failed, FailureRatePct, P95DurationMs, RequestsSquares, FailedSquares,",
    "          AvailabilityRuns, AvailabilityPassed, AvailabilityPct",
  ].join("\n");
  return { name: "health", text, timespan: `PT${windowMinutes + 5}M` };
}

export interface RoleFigures {
  role: string;
  /** The App Insights component's ARM id as `_ResourceId` carries it, lowercased (Log Analytics lowercases it; ARM does not). */
  componentId: string;
  requests: number;
  failed: number;
  failureRatePct: number | null;
  p95DurationMs: number | null;
  /** sum(ItemCount²) and over the failed rows: with requests and failed, what the sampled rows are worth (window rows only; 0 in a minute's). */
  requestsSquares: number;
  failedSquares: number;
}

export interface RoleMinuteFigures extends RoleFigures {
  /** The minute's start. */
  minute: Date;
}

export interface RoleAvailability {
  role: string;
  runs: number;
  passed: number;
  availabilityPct: number | null;
}

export interface HealthQueryResult {
  window: RoleFigures[];
  minutes: RoleMinuteFigures[];
  availability: RoleAvailability[];
}

/** A result table that lacks a column the query projects: the query and the mapping disagree. */
export class QueryResultShapeError extends Error {
  constructor(query: string, detail: string) {
    super(`The ${query} query's result is not what Wharf expects: ${detail}`);
    this.name = "QueryResultShapeError";
  }
}

function columnIndex(query: string, table: LogsTable, names: readonly string[]): Record<string, number> {
  const index: Record<string, number> = {};
  for (const name of names) {
    const at = table.columns.findIndex((column) => column.name === name);
    if (at < 0) throw new QueryResultShapeError(query, `column ${name} is missing (got ${table.columns.map((column) => column.name).join(", ") || "none"})`);
    index[name] = at;
  }
  return index;
}

function numberOrNull(value: unknown): number | null {
  if (value === null || value === undefined || value === "") return null;
  const number = typeof value === "number" ? value : Number(value);
  return Number.isFinite(number) ? number : null;
}

function dateOf(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value === "string" && value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? null : date;
  }
  return null;
}

const healthColumns = [
  "Grain",
  "AppRoleName",
  "ResourceId",
  "Minute",
  "Requests",
  "Failed",
  "FailureRatePct",
  "P95DurationMs",
  "RequestsSquares",
  "FailedSquares",
  "AvailabilityRuns",
  "AvailabilityPassed",
  "AvailabilityPct",
] as const;

export function mapHealthResult(tables: readonly LogsTable[]): HealthQueryResult {
  const result: HealthQueryResult = { window: [], minutes: [], availability: [] };
  const table = tables[0];
  if (!table) return result;
  const at = columnIndex("health", table, healthColumns);
  for (const row of table.rows) {
    const cell = (name: (typeof healthColumns)[number]) => row[at[name]!];
    const role = String(cell("AppRoleName") ?? "");
    const grain = cell("Grain");
    if (grain === "availability") {
      result.availability.push({
        role,
        runs: numberOrNull(cell("AvailabilityRuns")) ?? 0,
        passed: numberOrNull(cell("AvailabilityPassed")) ?? 0,
        availabilityPct: numberOrNull(cell("AvailabilityPct")),
      });
      continue;
    }
    const figures: RoleFigures = {
      role,
      componentId: String(cell("ResourceId") ?? "").toLowerCase(),
      requests: numberOrNull(cell("Requests")) ?? 0,
      failed: numberOrNull(cell("Failed")) ?? 0,
      failureRatePct: numberOrNull(cell("FailureRatePct")),
      p95DurationMs: numberOrNull(cell("P95DurationMs")),
      requestsSquares: numberOrNull(cell("RequestsSquares")) ?? 0,
      failedSquares: numberOrNull(cell("FailedSquares")) ?? 0,
    };
    if (grain === "window") result.window.push(figures);
    else if (grain === "minute") {
      const minute = dateOf(cell("Minute"));
      if (minute) result.minutes.push({ ...figures, minute });
    } else {
      throw new QueryResultShapeError("health", `unknown Grain ${JSON.stringify(grain)}`);
    }
  }
  return result;
}

/** The application map's windows, and the minutes each covers. */
export const mapWindows = { "1h": 60, "24h": 24 * 60, "7d": 7 * 24 * 60 } as const;
export type MapWindow = keyof typeof mapWindows;

/**
 * The last minutes whose calls each edge also counts apart, in the same query: an hour's rate hides a failure
 * that began a minute ago (decision 0053).
 */
export const mapRecentMinutes = 2;

/**
 * The application map's edges for one workspace over a window (research §2.3):
 * a dependency whose Id is a request's ParentId in the same OperationId is an
 * edge from the caller's role to the callee's role; any other dependency is
 * an edge to an external target, grouped by type and target with the classic
 * SDK's " | cid-v1:<appId>" suffix stripped. Counts, average and p95 are
 * weighted by ItemCount. No role list: roles no catalog service claims must
 * show up too, and nothing from people reaches this query.
 */
export function mapEdgesQuery(params: { window: MapWindow }): NamedQuery {
  const windowMinutes = mapWindows[params.window];
  const text = [
    `let since = ago(${kqlMinutes(windowMinutes)});`,
    `let recent = ago(${kqlMinutes(mapRecentMinutes)});`,
    "let deps = AppDependencies",
    "    | where TimeGenerated >= since",
    '    | where DependencyType != "InProc"',
    "    | project DepId = Id, OperationId, CallerRole = AppRoleName, CallerResourceId = _ResourceId, DependencyType,",
    '              Target = trim_end(@"\\s*\\|\\s*cid-v1:.*", Target), Success, DurationMs, ItemCount, TimeGenerated;',
    "let callees = AppRequests",
    "    | where TimeGenerated >= since",
    "    | where isnotempty(ParentId)",
    "    | distinct OperationId, ParentId, CalleeRole = AppRoleName;",
    "deps",
    "| join kind=leftouter callees on OperationId, $left.DepId == $right.ParentId",
    '| extend CalleeKind = iff(isnotempty(CalleeRole), "component", "external")',
    '| extend Target = iff(CalleeKind == "component", "", Target)',
    "| summarize Calls = sum(ItemCount), FailedCalls = sumif(ItemCount, Success == false),",
    "            AvgMs = sum(DurationMs * ItemCount) / sum(ItemCount), P95Ms = percentilew(DurationMs, ItemCount, 95),",
    "            RecentCalls = sumif(ItemCount, TimeGenerated >= recent), RecentFailedCalls = sumif(ItemCount, Success == false and TimeGenerated >= recent),",
    // What the recent sampled rows are worth as evidence (sampledEffectiveCount): the weights' squares.
    "            RecentSquares = sumif(ItemCount * ItemCount, TimeGenerated >= recent),",
    "            RecentFailedSquares = sumif(ItemCount * ItemCount, Success == false and TimeGenerated >= recent)",
    "          by CallerRole, CallerResourceId, CalleeKind, CalleeRole, DependencyType, Target",
    "| extend FailedPct = round(100.0 * FailedCalls / Calls, 2), AvgMs = round(AvgMs, 1), P95Ms = round(P95Ms, 1)",
    "| order by Calls desc",
    // A ceiling on rows, not on meaning: past it the least-called edges are dropped (build-map groups targets long before).
    "| take 20000",
    "| project CallerRole, CallerResourceId, CalleeKind, CalleeRole, DependencyType, Target, Calls, FailedCalls, FailedPct, AvgMs, P95Ms,",
    "          RecentCalls, RecentFailedCalls, RecentSquares, RecentFailedSquares",
  ].join("\n");
  return { name: `map-edges-${params.window}`, text, timespan: `PT${windowMinutes + 5}M` };
}

/** One row of the map-edges query: caller role → callee role, or caller role → external type and target. */
export interface MapEdgeRow {
  callerRole: string;
  /** The caller's App Insights component, lowercased, as `_ResourceId` carries it. */
  callerComponentId: string;
  calleeKind: "component" | "external";
  /** Empty for an external call. */
  calleeRole: string;
  dependencyType: string;
  /** Empty for a call matched to a component. */
  target: string;
  calls: number;
  failedCalls: number;
  failedPct: number | null;
  avgMs: number | null;
  p95Ms: number | null;
  /** Calls in the last `mapRecentMinutes` before the fetch; absent in rows stored before the query counted them. */
  recentCalls?: number;
  recentFailedCalls?: number;
  /** sum(ItemCount²) of the recent calls and of the recent failed ones: what the sampled rows are worth (absent in rows stored before). */
  recentSquares?: number;
  recentFailedSquares?: number;
}

const mapEdgeColumns = [
  "CallerRole",
  "CallerResourceId",
  "CalleeKind",
  "CalleeRole",
  "DependencyType",
  "Target",
  "Calls",
  "FailedCalls",
  "FailedPct",
  "AvgMs",
  "P95Ms",
  "RecentCalls",
  "RecentFailedCalls",
  "RecentSquares",
  "RecentFailedSquares",
] as const;

export function mapMapEdgesResult(tables: readonly LogsTable[]): MapEdgeRow[] {
  const table = tables[0];
  if (!table) return [];
  const at = columnIndex("map-edges", table, mapEdgeColumns);
  return table.rows.map((row) => {
    const cell = (name: (typeof mapEdgeColumns)[number]) => row[at[name]!];
    const kind = cell("CalleeKind");
    if (kind !== "component" && kind !== "external") throw new QueryResultShapeError("map-edges", `unknown CalleeKind ${JSON.stringify(kind)}`);
    return {
      callerRole: String(cell("CallerRole") ?? ""),
      callerComponentId: String(cell("CallerResourceId") ?? "").toLowerCase(),
      calleeKind: kind,
      calleeRole: String(cell("CalleeRole") ?? ""),
      dependencyType: String(cell("DependencyType") ?? ""),
      target: String(cell("Target") ?? ""),
      calls: numberOrNull(cell("Calls")) ?? 0,
      failedCalls: numberOrNull(cell("FailedCalls")) ?? 0,
      failedPct: numberOrNull(cell("FailedPct")),
      avgMs: numberOrNull(cell("AvgMs")),
      p95Ms: numberOrNull(cell("P95Ms")),
      recentCalls: numberOrNull(cell("RecentCalls")) ?? 0,
      recentFailedCalls: numberOrNull(cell("RecentFailedCalls")) ?? 0,
      recentSquares: numberOrNull(cell("RecentSquares")) ?? 0,
      recentFailedSquares: numberOrNull(cell("RecentFailedSquares")) ?? 0,
    };
  });
}

/** Which calls of a caller make up one edge of the map: those answered by a role, or external calls to one type and target (or a grouped rest). */
export type EdgeCallee =
  | { kind: "component"; roles: readonly string[] }
  | { kind: "external"; dependencyType: string; target: string }
  /** A type's grouped targets: every target of the type except those drawn one by one. */
  | { kind: "external-group"; dependencyType: string; excludedTargets: readonly string[] };

export interface EdgeOperationsParams {
  window: MapWindow;
  /** The caller's App Insights role names (one, for a map node). */
  callerRoles: readonly string[];
  /** The caller's App Insights components (`_ResourceId`, lowercased) the edge's figures came from: its environment. */
  callerComponentIds: readonly string[];
  callee: EdgeCallee;
}

const edgeCalleeFilters: Record<EdgeCallee["kind"], string> = {
  component: "    | where CalleeRole in (calleeRoles);",
  external: "    | where isempty(CalleeRole) and DependencyType == dependencyType and Target in (targets);",
  "external-group": "    | where isempty(CalleeRole) and DependencyType == dependencyType and Target !in (targets);",
};

/** How many operations and result codes one edge's drill-down lists. */
export const edgeOperationsLimit = 10;

/**
 * One edge's top failing operations (issue 13 item 5), fetched on demand when
 * someone opens the edge: the caller's dependency calls matched to the callee
 * exactly as `mapEdgesQuery` matches them (parent id within the operation, the
 * classic SDK's cid-v1 suffix stripped), then per dependency name the calls,
 * failures and p95 (weighted by ItemCount) with its most frequent failing
 * result code, and the edge's most frequent result codes. Every value from
 * telemetry or people (role names, targets, component ids) is a literal in a
 * `let` line at the top; the rest of the text depends only on the callee's kind.
 * One table, told apart by `Grain` (operation | result-code).
 */
export function edgeOperationsQuery(params: EdgeOperationsParams): NamedQuery {
  const windowMinutes = mapWindows[params.window];
  const callers = [...new Set(params.callerRoles)].sort();
  const components = [...new Set(params.callerComponentIds.map((id) => id.toLowerCase()))].sort();
  if (callers.length === 0) throw new RangeError("The edge-operations query needs the caller's role name.");
  if (components.length === 0) throw new RangeError("The edge-operations query needs at least one caller component.");
  const { callee } = params;
  const calleeRoles = callee.kind === "component" ? [...new Set(callee.roles)].sort() : [];
  if (callee.kind === "component" && calleeRoles.length === 0) throw new RangeError("A component callee needs its role name.");
  const dependencyType = callee.kind === "component" ? "" : callee.dependencyType;
  const targets = callee.kind === "external" ? [callee.target] : callee.kind === "external-group" ? [...new Set(callee.excludedTargets)].sort() : [];
  const text = [
    `let callers = ${kqlStringList(callers)};`,
    `let components = ${kqlStringList(components)};`,
    `let calleeRoles = ${kqlStringList(calleeRoles)};`,
    `let dependencyType = ${kqlString(dependencyType)};`,
    `let targets = ${kqlStringList(targets)};`,
    `let since = ago(${kqlMinutes(windowMinutes)});`,
    "let deps = AppDependencies",
    "    | where TimeGenerated >= since",
    "    | where AppRoleName in (callers)",
    "    | where tolower(_ResourceId) in (components)",
    '    | where DependencyType != "InProc"',
    "    | project DepId = Id, OperationId, Operation = Name, ResultCode, Success, DurationMs, ItemCount, DependencyType,",
    '              Target = trim_end(@"\\s*\\|\\s*cid-v1:.*", Target);',
    "let callees = AppRequests",
    "    | where TimeGenerated >= since",
    "    | where isnotempty(ParentId)",
    "    | distinct OperationId, ParentId, CalleeRole = AppRoleName;",
    "let edge = deps",
    "    | join kind=leftouter callees on OperationId, $left.DepId == $right.ParentId",
    edgeCalleeFilters[callee.kind],
    "let codes = edge",
    "    | summarize Calls = sum(ItemCount), Failed = sumif(ItemCount, Success == false) by Operation, ResultCode;",
    "let failingCodes = codes",
    "    | where Failed > 0",
    "    | summarize arg_max(Failed, ResultCode) by Operation",
    "    | project Operation, TopFailingResultCode = ResultCode;",
    "let operations = edge",
    "    | summarize Calls = sum(ItemCount), Failed = sumif(ItemCount, Success == false), P95Ms = percentilew(DurationMs, ItemCount, 95) by Operation",
    "    | order by Failed desc, Calls desc",
    `    | take ${edgeOperationsLimit}`,
    "    | join kind=leftouter failingCodes on Operation",
    '    | extend Grain = "operation", ResultCode = "";',
    "let resultCodes = codes",
    "    | summarize Calls = sum(Calls), Failed = sum(Failed) by ResultCode",
    "    | order by Calls desc",
    `    | take ${edgeOperationsLimit}`,
    '    | extend Grain = "result-code", Operation = "", TopFailingResultCode = "", P95Ms = real(null);',
    "union operations, resultCodes",
    "| extend FailedPct = iff(Calls > 0, round(100.0 * Failed / Calls, 2), real(null)), P95Ms = round(P95Ms, 1)",
    "| project Grain, Operation, ResultCode, TopFailingResultCode, Calls, Failed, FailedPct, P95Ms",
  ].join("\n");
  return { name: `map-edge-operations-${params.window}`, text, timespan: `PT${windowMinutes + 5}M` };
}

/** One dependency name on an edge: how often it was called and failed, its p95 and its most frequent failing result code. */
export interface EdgeOperationRow {
  operation: string;
  calls: number;
  failedCalls: number;
  failedPct: number | null;
  p95Ms: number | null;
  /** null when none of its calls failed. */
  topFailingResultCode: string | null;
}

export interface EdgeResultCodeRow {
  resultCode: string;
  calls: number;
  failedCalls: number;
  failedPct: number | null;
}

export interface EdgeOperationsResult {
  /** Most failures first, then most calls. */
  operations: EdgeOperationRow[];
  /** Most calls first. */
  resultCodes: EdgeResultCodeRow[];
}

const edgeOperationColumns = ["Grain", "Operation", "ResultCode", "TopFailingResultCode", "Calls", "Failed", "FailedPct", "P95Ms"] as const;

export function mapEdgeOperationsResult(tables: readonly LogsTable[]): EdgeOperationsResult {
  const result: EdgeOperationsResult = { operations: [], resultCodes: [] };
  const table = tables[0];
  if (!table) return result;
  const at = columnIndex("map-edge-operations", table, edgeOperationColumns);
  for (const row of table.rows) {
    const cell = (name: (typeof edgeOperationColumns)[number]) => row[at[name]!];
    const grain = cell("Grain");
    const calls = numberOrNull(cell("Calls")) ?? 0;
    const failedCalls = numberOrNull(cell("Failed")) ?? 0;
    const failedPct = numberOrNull(cell("FailedPct"));
    if (grain === "operation") {
      const code = String(cell("TopFailingResultCode") ?? "");
      result.operations.push({
        operation: String(cell("Operation") ?? ""),
        calls,
        failedCalls,
        failedPct,
        p95Ms: numberOrNull(cell("P95Ms")),
        topFailingResultCode: failedCalls > 0 && code ? code : null,
      });
    } else if (grain === "result-code") {
      result.resultCodes.push({ resultCode: String(cell("ResultCode") ?? ""), calls, failedCalls, failedPct });
    } else {
      throw new QueryResultShapeError("map-edge-operations", `unknown Grain ${JSON.stringify(grain)}`);
    }
  }
  // A union's rows come in no promised order.
  result.operations.sort((a, b) => b.failedCalls - a.failedCalls || b.calls - a.calls || a.operation.localeCompare(b.operation));
  result.resultCodes.sort((a, b) => b.calls - a.calls || a.resultCode.localeCompare(b.resultCode));
  return result;
}
