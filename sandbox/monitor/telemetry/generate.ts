// One time bucket of telemetry for every role in a workspace: aggregated rows
// whose ItemCount says how many requests (calls, test runs) each stands for,
// so a minute or an hour costs a few dozen rows whatever the traffic. A
// request's dependency calls share its OperationId and name it as ParentId;
// a call to another role's service is answered by a request row of that role
// whose ParentId is the call's Id, as OpenTelemetry spans link in App Insights.
import { appInsightsTables, type AppInsightsTableName } from "../app-insights-schema";
import { componentForEnvironment, componentResourceId, type SandboxWorkspace } from "../../workspaces";
import { conditionAt, externalCall, roleProfile, type Condition, type ExternalCall, type RoleProfile } from "./profile";
import { randomGuid, seededRandom, type Random } from "./random";
import type { DeclaredDependency, Workload } from "./workloads";

export type Row = Record<string, unknown>;
export type BucketRows = Record<AppInsightsTableName, Row[]>;

/**
 * A bucket's rows of one table, column by column, holding only the columns
 * asked for (`values[i]` is `columns[i]`; TimeGenerated in milliseconds):
 * a row costs a few array slots instead of an object of 40 properties.
 */
export interface ColumnarRows {
  columns: readonly string[];
  length: number;
  values: ArrayLike<unknown>[];
}
export type BucketColumns = Partial<Record<AppInsightsTableName, ColumnarRows>>;

export interface GenerationContext {
  seed: string;
  workspace: SandboxWorkspace;
  workloads: readonly Workload[];
  /** Profiles by role name, made once per context. */
  profiles: Map<string, RoleProfile>;
  /** Pod names by ReplicaSet, by index, and each role's constant columns per table: made once per context. */
  instances: Map<string, string[]>;
  /** Each declared dependency's calls, by the dependency (one object per Deployment's annotation entry). */
  calls: Map<DeclaredDependency, ExternalCall>;
  bases: WeakMap<Workload, Partial<Record<AppInsightsTableName, Row>>>;
  /** Workloads by cluster, namespace and service, and by cluster and service: made on first use. */
  services?: Map<string, Workload>;
  /** Each caller's answer from `calleeOf` per service (null: nobody here answers). */
  callees?: Map<Workload, Map<string, Workload | null>>;
}

/**
 * The workload answering `service` for a caller: the first in its namespace,
 * else the first in its cluster. Indexed once per context: a scan of every
 * workload per call was most of a 2,000-role bucket's time.
 */
function calleeOf(context: GenerationContext, caller: Workload, service: string): Workload | undefined {
  context.callees ??= new Map();
  let known = context.callees.get(caller);
  if (!known) context.callees.set(caller, (known = new Map()));
  let callee = known.get(service);
  if (callee === undefined) known.set(service, (callee = findCallee(context, caller, service) ?? null));
  return callee ?? undefined;
}

function findCallee(context: GenerationContext, caller: Workload, service: string): Workload | undefined {
  if (!context.services) {
    context.services = new Map();
    for (const w of context.workloads) {
      for (const key of [`${w.cluster.name}|${w.namespace}|${w.service}`, `${w.cluster.name}||${w.service}`])
        if (!context.services.has(key)) context.services.set(key, w);
    }
  }
  return context.services.get(`${caller.cluster.name}|${caller.namespace}|${service}`) ?? context.services.get(`${caller.cluster.name}||${service}`);
}

function declaredCall(context: GenerationContext, roleName: string, dependency: DeclaredDependency): ExternalCall {
  let call = context.calls.get(dependency);
  if (!call) context.calls.set(dependency, (call = externalCall(context.seed, roleName, dependency)));
  return call;
}

/** The columns that are the same on every row of a role in a table, with null for the rest, as a prototype. */
function baseRow(context: GenerationContext, workload: Workload, table: AppInsightsTableName): Row {
  let bases = context.bases.get(workload);
  if (!bases) context.bases.set(workload, (bases = {}));
  let base = bases[table];
  if (!base) {
    const component = componentForEnvironment(workload.cluster.environment);
    // Not frozen: a row's own assignment of a column the prototype holds must not be refused.
    base = bases[table] = {
      ...templates[table],
      TenantId: context.workspace.customerId,
      Properties: Object.freeze({ "k8s.cluster.name": workload.cluster.name, "k8s.namespace.name": workload.namespace, "k8s.deployment.name": workload.name }),
      AppRoleName: workload.roleName,
      ClientType: "PC",
      ClientIP: "0.0.0.0",
      ResourceGUID: component.appId,
      IKey: component.instrumentationKey,
      SDKVersion: "node:otel1.21.0",
      SourceSystem: "Azure",
      Type: table,
      _ResourceId: componentResourceId(component).toLowerCase(),
      _IsBillable: "True",
    };
  }
  return base;
}

export const availabilityLocations = ["West Europe", "North Europe", "France Central", "UK South", "East US"] as const;
const availabilityEveryMs = 5 * 60_000;
/** About how many rows a bucket gives one role's successful requests, across its operations, and failed ones per operation: weights carry the rest. */
const successRows = 6;
const failureRows = 1;
/** How deep a chain of calls between roles is followed within one operation. */
const maxCallDepth = 3;

const templates = Object.fromEntries(
  Object.entries(appInsightsTables).map(([table, columns]) => [table, Object.fromEntries(columns.map((c) => [c.name, null]))]),
) as Record<AppInsightsTableName, Row>;

export function profileOf(context: GenerationContext, roleName: string): RoleProfile {
  let profile = context.profiles.get(roleName);
  if (!profile) context.profiles.set(roleName, (profile = roleProfile(context.seed, roleName)));
  return profile;
}

/** Daily and weekly shape of traffic, in UTC: a trough at night, quieter weekends. */
function trafficShape(at: number): number {
  const date = new Date(at);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const daily = 0.65 + 0.35 * Math.sin((2 * Math.PI * (hour - 8)) / 24);
  const day = date.getUTCDay();
  return daily * (day === 0 || day === 6 ? 0.7 : 1);
}

/** `total` split into at most `parts` positive whole weights. */
function split(total: number, parts: number, random: Random): number[] {
  const count = Math.min(total, parts);
  if (count <= 0) return [];
  const weights = new Array<number>(count).fill(Math.floor(total / count));
  for (let i = 0; i < total % count; i++) weights[random.int(count)]! += 1;
  return weights;
}

function duration(random: Random, medianMs: number, sigma: number): number {
  return Math.round(medianMs * Math.exp(sigma * random.normal()) * 100) / 100;
}

function performanceBucket(ms: number): string {
  if (ms < 250) return "<250ms";
  if (ms < 500) return "250ms-500ms";
  if (ms < 1000) return "500ms-1sec";
  if (ms < 3000) return "1sec-3sec";
  if (ms < 7000) return "3sec-7sec";
  return "7sec-15sec";
}

interface Span {
  workload: Workload;
  at: number;
  operationId: string;
  instance: string;
}

class BucketBuilder {
  readonly rows: BucketRows = { AppRequests: [], AppDependencies: [], AppAvailabilityResults: [], AppExceptions: [] };

  readonly columnar: BucketColumns = {};

  constructor(
    private readonly context: GenerationContext,
    readonly random: Random,
    private readonly wanted: ReadonlySet<AppInsightsTableName>,
    /** When given, rows of these tables are written column by column (only these columns) instead of as objects. */
    columns?: ReadonlyMap<AppInsightsTableName, readonly string[]>,
  ) {
    for (const [table, names] of columns ?? []) this.columnar[table] = { columns: names, length: 0, values: names.map(() => []) };
    this.ids = [...wanted].some((table) => this.keeps(table, "OperationId") || this.keeps(table, "Id") || this.keeps(table, "ParentId"));
  }

  /** Whether any kept row holds an operation or span id: if not, ids are drawn but never written out as text. */
  private readonly ids: boolean;

  /** Whether rows of `table` are kept with `column`. */
  private keeps(table: AppInsightsTableName, column: string): boolean {
    if (!this.wanted.has(table)) return false;
    const columnar = this.columnar[table];
    return !columnar || columnar.columns.includes(column);
  }

  /** An operation or span id: `random.hex(bytes)`, or the same draws and "" when no kept row shows one. */
  id(bytes: number): string {
    if (this.ids) return this.random.hex(bytes);
    for (let i = 0; i < bytes; i += 4) this.random.next();
    return "";
  }

  /**
   * A row of `table`, or undefined when the query reads other tables. Every
   * random draw happens either way, so ids and values are the same whichever
   * table is asked for (a call's Id is its callee's ParentId in both).
   */
  private row(table: AppInsightsTableName, span: Pick<Span, "workload" | "at" | "instance">, fields: () => Row): Row | undefined {
    const billedSize = 900 + this.random.int(600);
    if (!this.wanted.has(table)) return undefined;
    const columnar = this.columnar[table];
    if (columnar) {
      this.write(columnar, baseRow(this.context, span.workload, table), span, billedSize, fields());
      return undefined;
    }
    // Constant columns live on a per-role prototype: a row owns only what varies (the evaluator reads properties, not keys).
    const row = Object.create(baseRow(this.context, span.workload, table)) as Row;
    row.TimeGenerated = new Date(span.at);
    row.AppVersion = conditionTag(span.workload, span.at);
    row.AppRoleInstance = span.instance;
    row._BilledSize = billedSize;
    return Object.assign(row, fields());
  }

  /** The row `row` would make, as values appended to `into`'s columns: the same values, the row's own fields first, then the role's constants. */
  private write(into: ColumnarRows, base: Row, span: Pick<Span, "workload" | "at" | "instance">, billedSize: number, fields: Row): void {
    const { columns, values } = into;
    for (let i = 0; i < columns.length; i++) {
      const name = columns[i]!;
      let value: unknown;
      if (name in fields) value = fields[name];
      else if (name === "TimeGenerated") value = span.at;
      else if (name === "AppVersion") value = conditionTag(span.workload, span.at);
      else if (name === "AppRoleInstance") value = span.instance;
      else if (name === "_BilledSize") value = billedSize;
      else value = base[name];
      (values[i] as unknown[]).push(value);
    }
    into.length += 1;
  }

  /** `random.hex(bytes)`, or the same draws without making the string when no row of `table` is kept (most ids of a one-table query). */
  private hex(table: AppInsightsTableName, bytes: number): string {
    if (this.wanted.has(table)) return this.random.hex(bytes);
    for (let i = 0; i < bytes; i += 4) this.random.next();
    return "";
  }

  private push(table: AppInsightsTableName, row: Row | undefined): void {
    if (row) this.rows[table].push(row);
  }

  private instanceOf(workload: Workload, condition: Condition): string {
    const index = this.random.int(Math.max(1, workload.replicas));
    const replicaSet = condition.revision.replicaSet;
    let names = this.context.instances.get(replicaSet);
    if (!names) this.context.instances.set(replicaSet, (names = []));
    return (names[index] ??= `${replicaSet}-${seededRandom(`${replicaSet}|${index}`).hex(3).slice(0, 5)}`);
  }

  /** A request to `workload` and, unless it failed for want of a pod, the calls it makes. Returns the request's outcome. */
  request(
    workload: Workload,
    at: number,
    weight: number,
    success: boolean,
    operationId: string,
    parentId: string,
    chosen: { method: string; path: string } | undefined,
    depth: number,
    visited: ReadonlySet<string>,
  ): { success: boolean; resultCode: string; durationMs: number } {
    const profile = profileOf(this.context, workload.roleName);
    const condition = conditionAt(profile, workload, at);
    // Counts are drawn per bucket; a role with no ready pod from inside the bucket on serves nothing from then.
    if (condition.cause === "down") success = false;
    const operation = chosen ?? pickOperation(profile, this.random);
    const durationMs = duration(this.random, condition.medianMs, condition.sigma);
    const resultCode = success ? (operation.method === "POST" ? "201" : "200") : condition.cause === "down" || condition.cause === "unready" ? "503" : "500";
    const id = this.id(8);
    const instance = this.instanceOf(workload, condition);
    const span: Span = { workload, at, operationId, instance };
    const name = nameOf(operation);
    const itemId = 1000 + this.random.int(9000);
    this.push(
      "AppRequests",
      this.row("AppRequests", span, () => ({
        OperationName: name,
        OperationId: operationId,
        ParentId: parentId,
        Id: id,
        Name: name,
        Url: this.keeps("AppRequests", "Url") ? `http://${workload.service}.${workload.namespace}${operation.path.replace("{id}", String(itemId))}` : null,
        Success: success,
        ResultCode: resultCode,
        DurationMs: durationMs,
        PerformanceBucket: performanceBucket(durationMs),
        ItemCount: weight,
      })),
    );
    if (!success) this.exception(span, condition, id, name, weight);
    if (condition.cause === "down") return { success, resultCode, durationMs };
    const callsVisited = workload.dependencies.some((d) => d.kind === "service") ? new Set(visited).add(workload.roleName) : visited;
    for (const dependency of workload.dependencies) {
      if (dependency.kind === "service") this.serviceCall(span, id, name, weight, dependency.target, depth, callsVisited);
      else this.externalCall(span, id, name, weight, declaredCall(this.context, workload.roleName, dependency));
    }
    for (const call of profile.undeclared)
      if (this.random.next() < Math.min(1, call.perRequest * 4)) this.externalCall(span, id, name, weight, undeclared(call));
    return { success, resultCode, durationMs };
  }

  private serviceCall(span: Span, parentId: string, operationName: string, weight: number, service: string, depth: number, visited: ReadonlySet<string>): void {
    const { workload } = span;
    const callee = calleeOf(this.context, workload, service);
    const target = callee && callee.namespace !== workload.namespace ? `${service}.${callee.namespace}` : service;
    if (!callee || depth >= maxCallDepth || visited.has(callee.roleName)) {
      // Not running beside it (or a cycle): an HTTP call to a host nobody here answers for.
      this.externalCall(span, parentId, operationName, weight, {
        type: "Http",
        target,
        name: "GET /",
        data: `http://${target}/`,
        medianMs: 40,
        failure: 0.005,
        perRequest: 1,
      });
      return;
    }
    const condition = conditionAt(profileOf(this.context, callee.roleName), callee, span.at);
    // Calls that land on a crash-looping pod fail whatever the draw: apart, so the edge fails by their share.
    const dropped = condition.dropped > 0 ? Math.min(weight, Math.round(weight * condition.dropped)) : 0;
    if (dropped > 0) this.answeredCall(span, parentId, operationName, dropped, callee, target, false, depth, visited);
    if (dropped === weight) return;
    const failure = dropped > 0 ? (condition.failure - condition.dropped) / (1 - condition.dropped) : condition.failure;
    this.answeredCall(span, parentId, operationName, weight - dropped, callee, target, undefined, depth, visited, failure);
  }

  /** A call to `callee` answered by its request (succeeding by `failure`'s draw unless `success` is given), and the dependency row. */
  private answeredCall(
    span: Span,
    parentId: string,
    operationName: string,
    weight: number,
    callee: Workload,
    target: string,
    success: boolean | undefined,
    depth: number,
    visited: ReadonlySet<string>,
    failure = 1,
  ): void {
    const id = this.id(8);
    const calleeProfile = profileOf(this.context, callee.roleName);
    const drawn = this.random.next() >= failure;
    const calleeSuccess = success ?? drawn;
    const operation = pickOperation(calleeProfile, this.random);
    const outcome = this.request(callee, span.at + 1, weight, calleeSuccess, span.operationId, id, operation, depth + 1, visited);
    const durationMs = Math.round((outcome.durationMs + 1.5) * 100) / 100;
    this.push(
      "AppDependencies",
      this.row("AppDependencies", span, () => ({
        OperationName: operationName,
        OperationId: span.operationId,
        ParentId: parentId,
        Id: id,
        Target: target,
        DependencyType: "Http",
        Name: nameOf(operation),
        Data: `http://${target}${operation.path.replace("{id}", "42")}`,
        Success: outcome.success,
        ResultCode: outcome.resultCode,
        DurationMs: durationMs,
        PerformanceBucket: performanceBucket(durationMs),
        ItemCount: weight,
      })),
    );
  }

  private externalCall(span: Span, parentId: string, operationName: string, weight: number, call: ExternalCall): void {
    const calls = Math.max(1, Math.round(weight * call.perRequest));
    // Drawn whichever tables are asked for (outside `row`), so the rows are the same either way.
    const operation = call.operations?.length ? pickWeighted(call.operations, this.random) : undefined;
    const success = this.random.next() >= call.failure * (operation?.failureFactor ?? 1);
    const resultCode = success ? (operation?.successCode ?? call.successCode ?? usualSuccessCode(call.type)) : failureCode(call, this.random);
    const durationMs = duration(this.random, success ? call.medianMs : call.medianMs * 3, 0.5);
    const id = this.hex("AppDependencies", 8);
    this.push(
      "AppDependencies",
      this.row("AppDependencies", span, () => ({
        OperationName: operationName,
        OperationId: span.operationId,
        ParentId: parentId,
        Id: id,
        Target: call.target,
        DependencyType: call.type,
        Name: operation?.name ?? call.name,
        Data: operation?.data ?? call.data,
        Success: success,
        ResultCode: resultCode,
        DurationMs: durationMs,
        PerformanceBucket: performanceBucket(durationMs),
        ItemCount: calls,
      })),
    );
  }

  private exception(span: Span, condition: Condition, parentId: string, operationName: string, weight: number): void {
    const { workload } = span;
    const [type, message] =
      condition.cause === "down" || condition.cause === "unready"
        ? ["Error", `connect ECONNREFUSED: no ready endpoint for ${workload.name}${workload.waitingReason ? ` (${workload.waitingReason})` : ""}`]
        : condition.cause === "errors"
          ? ["InternalServerError", `Unhandled error in ${operationName} (image tag errors)`]
          : ["TimeoutError", `${operationName} timed out`];
    this.push(
      "AppExceptions",
      this.row("AppExceptions", span, () => ({
        OperationName: operationName,
        OperationId: span.operationId,
        ParentId: parentId,
        ProblemId: `${type} at ${workload.name}`,
        HandledAt: "UserCode",
        ExceptionType: type,
        OuterType: type,
        OuterMessage: message,
        InnermostType: type,
        InnermostMessage: message,
        SeverityLevel: 3,
        Details: [{ outerId: "0", message, type, id: "1", parsedStack: [] }],
        Message: message,
        ItemCount: weight,
      })),
    );
  }

  availability(workload: Workload, at: number): void {
    const condition = conditionAt(profileOf(this.context, workload.roleName), workload, at);
    for (const location of availabilityLocations) {
      const success = condition.cause === "down" ? false : this.random.next() >= condition.failure * 0.5;
      const durationMs = duration(this.random, condition.medianMs * 2 + 30, 0.3);
      const runAt = at + this.random.int(20_000);
      const operationId = this.hex("AppAvailabilityResults", 16);
      const id = this.wanted.has("AppAvailabilityResults") ? randomGuid(this.random) : this.hex("AppAvailabilityResults", 16);
      const size = 512 + this.random.int(256);
      this.push(
        "AppAvailabilityResults",
        this.row("AppAvailabilityResults", { workload, at: runAt, instance: "" }, () => ({
          // Standard tests run outside the app: no role instance, and keyed by their name, here the role's.
          AppRoleName: "",
          OperationName: workload.roleName,
          OperationId: operationId,
          Id: id,
          Name: workload.roleName,
          Location: location,
          Success: success,
          Message: success ? "Passed" : condition.cause === "down" ? "Failed: 503 Service Unavailable" : "Failed: 500 Internal Server Error",
          Size: size,
          DurationMs: durationMs,
          PerformanceBucket: performanceBucket(durationMs),
          ItemCount: 1,
        })),
      );
    }
  }
}

const undeclaredCalls = new WeakMap<ExternalCall, ExternalCall>();

/** An undeclared call as one of a request's calls (a quarter per request), one object per call rather than one per row. */
function undeclared(call: ExternalCall): ExternalCall {
  let made = undeclaredCalls.get(call);
  if (made === undefined) undeclaredCalls.set(call, (made = { ...call, perRequest: 0.25 }));
  return made;
}

const operationNames = new WeakMap<object, string>();

/** `GET /api/items`, one string per operation rather than one per row (the rows a bucket cache keeps share it). */
function nameOf(operation: { method: string; path: string }): string {
  let name = operationNames.get(operation);
  if (name === undefined) operationNames.set(operation, (name = `${operation.method} ${operation.path}`));
  return name;
}

function conditionTag(workload: Workload, at: number): string {
  let tag = workload.revisions[0]?.tag ?? "";
  for (const revision of workload.revisions) if (revision.since <= at) tag = revision.tag;
  return tag;
}

function pickWeighted<T extends { weight: number }>(items: readonly T[], random: Random): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let roll = random.next() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return items[0]!;
}

function usualSuccessCode(type: string): string {
  return type === "Http" ? "200" : "0";
}

/** A failed call's result code: the call's own codes, the first twice as likely as each of the others. */
function failureCode(call: ExternalCall, random: Random): string {
  const codes = call.failureCodes?.length ? call.failureCodes : call.type === "Http" ? ["503", "500"] : ["1"];
  return pickWeighted(
    codes.map((code, index) => ({ code, weight: index === 0 ? 2 : 1 })),
    random,
  ).code;
}

function pickOperation(profile: RoleProfile, random: Random): { method: string; path: string } {
  return pickWeighted(profile.operations, random);
}

const noRoles: ReadonlySet<string> = new Set();

/** Everything every role in the workspace recorded in [start, start + lengthMs), in the tables asked for (the others stay empty): one walk for all of them. */
export function generateBucket(context: GenerationContext, start: number, lengthMs: number, tables: ReadonlySet<AppInsightsTableName>): BucketRows {
  return walkBucket(context, start, lengthMs, new BucketBuilder(context, seededRandom(bucketSeed(context, start, lengthMs)), tables)).rows;
}

/** The same rows as `generateBucket`, in the same order, but only `columns` of each table, column by column. */
export function generateBucketColumns(
  context: GenerationContext,
  start: number,
  lengthMs: number,
  columns: ReadonlyMap<AppInsightsTableName, readonly string[]>,
): BucketColumns {
  const builder = new BucketBuilder(context, seededRandom(bucketSeed(context, start, lengthMs)), new Set(columns.keys()), columns);
  const made = walkBucket(context, start, lengthMs, builder).columnar;
  for (const rows of Object.values(made)) rows.values = rows.values.map((values) => compact(values as unknown[]));
  return made;
}

/** A column of numbers only as a Float64Array (8 bytes a value, nothing for the collector to trace), any other at its exact length. */
function compact(values: unknown[]): ArrayLike<unknown> {
  for (const value of values) if (typeof value !== "number") return values.slice();
  return new Float64Array(values as number[]);
}

const bucketSeed = (context: GenerationContext, start: number, lengthMs: number) => `${context.seed}|bucket|${context.workspace.name}|${start}|${lengthMs}`;

function walkBucket(context: GenerationContext, start: number, lengthMs: number, builder: BucketBuilder): BucketBuilder {
  const random = builder.random;
  const minutes = lengthMs / 60_000;
  for (const workload of context.workloads) {
    const profile = profileOf(context, workload.roleName);
    const mid = start + lengthMs / 2;
    const expected = profile.ratePerMinute * minutes * trafficShape(mid);
    const total = Math.max(0, Math.round(expected * (1 + 0.08 * random.normal())));
    const weights = profile.operations.reduce((sum, op) => sum + op.weight, 0);
    for (const operation of profile.operations) {
      const share = operation.weight / weights;
      const count = Math.round(total * share);
      const condition = conditionAt(profile, workload, start);
      const failures = Math.min(count, Math.round(count * condition.failure + (condition.failure > 0 ? random.next() - 0.5 : 0)));
      for (const [weights, success] of [
        [split(count - failures, Math.max(1, Math.round(successRows * share)), random), true],
        [split(failures, failureRows + (failures > 100 ? 1 : 0), random), false],
      ] as const) {
        for (const weight of weights) {
          builder.request(workload, start + random.int(lengthMs), weight, success, builder.id(16), "", operation, 0, noRoles);
        }
      }
    }
    for (let at = Math.ceil(start / availabilityEveryMs) * availabilityEveryMs; at < start + lengthMs; at += availabilityEveryMs)
      builder.availability(workload, at);
  }
  return builder;
}
