// One time bucket of telemetry for every role in a workspace: aggregated rows
// whose ItemCount says how many requests (calls, test runs) each stands for,
// so a minute or an hour costs a few dozen rows whatever the traffic. A
// request's dependency calls share its OperationId and name it as ParentId;
// a call to another role's service is answered by a request row of that role
// whose ParentId is the call's Id, as OpenTelemetry spans link in App Insights.
import { appInsightsTables, type AppInsightsTableName } from "../app-insights-schema";
import { componentForEnvironment, componentResourceId, type SandboxWorkspace } from "../workspaces";
import { conditionAt, externalCall, roleProfile, type Condition, type ExternalCall, type RoleProfile } from "./profile";
import { randomGuid, seededRandom, type Random } from "./random";
import type { Workload } from "./workloads";

export type Row = Record<string, unknown>;
export type BucketRows = Record<AppInsightsTableName, Row[]>;

export interface GenerationContext {
  seed: string;
  workspace: SandboxWorkspace;
  workloads: readonly Workload[];
  /** Profiles by role name, made once per context. */
  profiles: Map<string, RoleProfile>;
}

export const availabilityLocations = ["West Europe", "North Europe", "France Central", "UK South", "East US"] as const;
const availabilityEveryMs = 5 * 60_000;
/** Most rows a bucket gives one role's successful (failed) requests of one operation: weights carry the rest. */
const successRows = 4;
const failureRows = 2;
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

  constructor(
    private readonly context: GenerationContext,
    private readonly random: Random,
    /** Build only this table's rows; the others' random draws are still made, so every row is the same either way. */
    private readonly only?: AppInsightsTableName,
  ) {}

  private push(table: AppInsightsTableName, span: Pick<Span, "workload" | "at" | "instance">, fields: Row): void {
    const billedSize = 900 + this.random.int(600);
    if (this.only === undefined || this.only === table) this.rows[table].push(this.row(table, span, fields, billedSize));
  }

  private row(table: AppInsightsTableName, span: Pick<Span, "workload" | "at" | "instance">, fields: Row, billedSize: number): Row {
    const { workload } = span;
    const component = componentForEnvironment(workload.cluster.environment);
    return {
      ...templates[table],
      TenantId: this.context.workspace.customerId,
      TimeGenerated: new Date(span.at),
      Properties: { "k8s.cluster.name": workload.cluster.name, "k8s.namespace.name": workload.namespace, "k8s.deployment.name": workload.name },
      AppVersion: conditionTag(workload, span.at),
      AppRoleName: workload.roleName,
      AppRoleInstance: span.instance,
      ClientType: "PC",
      ClientIP: "0.0.0.0",
      ResourceGUID: component.appId,
      IKey: component.instrumentationKey,
      SDKVersion: "node:otel1.21.0",
      SourceSystem: "Azure",
      Type: table,
      _ResourceId: componentResourceId(component).toLowerCase(),
      _BilledSize: billedSize,
      _IsBillable: "True",
      ...fields,
    };
  }

  private instanceOf(workload: Workload, condition: Condition): string {
    const index = this.random.int(Math.max(1, workload.replicas));
    return `${condition.revision.replicaSet}-${seededRandom(`${condition.revision.replicaSet}|${index}`).hex(3).slice(0, 5)}`;
  }

  /** A request to `workload` and, unless it failed for want of a pod, the calls it makes. Returns the request's outcome. */
  request(workload: Workload, at: number, weight: number, success: boolean, operationId: string, parentId: string, operationName: string | undefined, depth: number, visited: ReadonlySet<string>): { success: boolean; resultCode: string; durationMs: number } {
    const profile = profileOf(this.context, workload.roleName);
    const condition = conditionAt(profile, workload, at);
    const operation = operationName ? parseOperation(operationName) : pickOperation(profile, this.random);
    const durationMs = duration(this.random, condition.medianMs, condition.sigma);
    const resultCode = success ? (operation.method === "POST" ? "201" : "200") : condition.cause === "down" || condition.cause === "unready" ? "503" : "500";
    const id = this.random.hex(8);
    const instance = this.instanceOf(workload, condition);
    const span: Span = { workload, at, operationId, instance };
    const name = `${operation.method} ${operation.path}`;
    this.push(
      "AppRequests", span, {
        OperationName: name,
        OperationId: operationId,
        ParentId: parentId,
        Id: id,
        Name: name,
        Url: `http://${workload.service}.${workload.namespace}${operation.path.replace("{id}", String(1000 + this.random.int(9000)))}`,
        Success: success,
        ResultCode: resultCode,
        DurationMs: durationMs,
        PerformanceBucket: performanceBucket(durationMs),
        ItemCount: weight,
      },
    );
    if (!success) this.exception(span, condition, id, name, weight);
    if (condition.cause === "down") return { success, resultCode, durationMs };
    const callsVisited = new Set(visited).add(workload.roleName);
    for (const dependency of workload.dependencies) {
      if (dependency.kind === "service") this.serviceCall(span, id, name, weight, dependency.target, depth, callsVisited);
      else this.externalCall(span, id, name, weight, externalCall(this.context.seed, workload.roleName, dependency));
    }
    for (const call of profile.undeclared) if (this.random.next() < Math.min(1, call.perRequest * 4)) this.externalCall(span, id, name, weight, { ...call, perRequest: 0.25 });
    return { success, resultCode, durationMs };
  }

  private serviceCall(span: Span, parentId: string, operationName: string, weight: number, service: string, depth: number, visited: ReadonlySet<string>): void {
    const { workload } = span;
    const callee =
      this.context.workloads.find((w) => w.cluster === workload.cluster && w.namespace === workload.namespace && w.service === service) ??
      this.context.workloads.find((w) => w.cluster === workload.cluster && w.service === service);
    const target = callee && callee.namespace !== workload.namespace ? `${service}.${callee.namespace}` : service;
    if (!callee || depth >= maxCallDepth || visited.has(callee.roleName)) {
      // Not running beside it (or a cycle): an HTTP call to a host nobody here answers for.
      this.externalCall(span, parentId, operationName, weight, { type: "Http", target, name: "GET /", data: `http://${target}/`, medianMs: 40, failure: 0.005, perRequest: 1 });
      return;
    }
    const id = this.random.hex(8);
    const calleeProfile = profileOf(this.context, callee.roleName);
    const calleeSuccess = this.random.next() >= conditionAt(calleeProfile, callee, span.at).failure;
    const operation = pickOperation(calleeProfile, this.random);
    const outcome = this.request(callee, span.at + 1, weight, calleeSuccess, span.operationId, id, `${operation.method} ${operation.path}`, depth + 1, visited);
    const durationMs = Math.round((outcome.durationMs + 1.5) * 100) / 100;
    this.push(
      "AppDependencies", span, {
        OperationName: operationName,
        OperationId: span.operationId,
        ParentId: parentId,
        Id: id,
        Target: target,
        DependencyType: "Http",
        Name: `${operation.method} ${operation.path}`,
        Data: `http://${target}${operation.path.replace("{id}", "42")}`,
        Success: outcome.success,
        ResultCode: outcome.resultCode,
        DurationMs: durationMs,
        PerformanceBucket: performanceBucket(durationMs),
        ItemCount: weight,
      },
    );
  }

  private externalCall(span: Span, parentId: string, operationName: string, weight: number, call: ExternalCall): void {
    const calls = Math.max(1, Math.round(weight * call.perRequest));
    const success = this.random.next() >= call.failure;
    const durationMs = duration(this.random, success ? call.medianMs : call.medianMs * 3, 0.5);
    this.push(
      "AppDependencies", span, {
        OperationName: operationName,
        OperationId: span.operationId,
        ParentId: parentId,
        Id: this.random.hex(8),
        Target: call.target,
        DependencyType: call.type,
        Name: call.name,
        Data: call.data,
        Success: success,
        ResultCode: call.type === "Http" ? (success ? "200" : "503") : success ? "0" : "1",
        DurationMs: durationMs,
        PerformanceBucket: performanceBucket(durationMs),
        ItemCount: calls,
      },
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
      "AppExceptions", span, {
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
      },
    );
  }

  availability(workload: Workload, at: number): void {
    const condition = conditionAt(profileOf(this.context, workload.roleName), workload, at);
    for (const location of availabilityLocations) {
      const success = condition.cause === "down" ? false : this.random.next() >= condition.failure * 0.5;
      const durationMs = duration(this.random, condition.medianMs * 2 + 30, 0.3);
      this.push("AppAvailabilityResults", { workload, at: at + this.random.int(20_000), instance: "" }, {
          // Standard tests run outside the app: no role instance, and keyed by their name, here the role's.
          AppRoleName: "",
          OperationName: workload.roleName,
          OperationId: this.random.hex(16),
          Id: randomGuid(this.random),
          Name: workload.roleName,
          Location: location,
          Success: success,
          Message: success ? "Passed" : condition.cause === "down" ? "Failed: 503 Service Unavailable" : "Failed: 500 Internal Server Error",
          Size: 512 + this.random.int(256),
          DurationMs: durationMs,
          PerformanceBucket: performanceBucket(durationMs),
          ItemCount: 1,
        });
    }
  }
}

function conditionTag(workload: Workload, at: number): string {
  let tag = workload.revisions[0]?.tag ?? "";
  for (const revision of workload.revisions) if (revision.since <= at) tag = revision.tag;
  return tag;
}

function pickOperation(profile: RoleProfile, random: Random): { method: string; path: string } {
  const total = profile.operations.reduce((sum, op) => sum + op.weight, 0);
  let roll = random.next() * total;
  for (const operation of profile.operations) {
    roll -= operation.weight;
    if (roll < 0) return operation;
  }
  return profile.operations[0]!;
}

function parseOperation(name: string): { method: string; path: string } {
  const [method = "GET", path = "/"] = name.split(" ");
  return { method, path };
}

/** Everything every role in the workspace recorded in [start, start + lengthMs); with `only`, that table's rows alone (the same rows). */
export function generateBucket(context: GenerationContext, start: number, lengthMs: number, only?: AppInsightsTableName): BucketRows {
  const random = seededRandom(`${context.seed}|bucket|${context.workspace.name}|${start}|${lengthMs}`);
  const builder = new BucketBuilder(context, random, only);
  const minutes = lengthMs / 60_000;
  for (const workload of context.workloads) {
    const profile = profileOf(context, workload.roleName);
    const mid = start + lengthMs / 2;
    const expected = profile.ratePerMinute * minutes * trafficShape(mid);
    const total = Math.max(0, Math.round(expected * (1 + 0.08 * random.normal())));
    for (const operation of profile.operations) {
      const share = operation.weight / profile.operations.reduce((sum, op) => sum + op.weight, 0);
      const count = Math.round(total * share);
      const condition = conditionAt(profile, workload, start);
      const failures = Math.min(count, Math.round(count * condition.failure + (condition.failure > 0 ? random.next() - 0.5 : 0)));
      const name = `${operation.method} ${operation.path}`;
      for (const [weights, success] of [
        [split(count - failures, successRows, random), true],
        [split(failures, failureRows, random), false],
      ] as const) {
        for (const weight of weights) {
          builder.request(workload, start + random.int(lengthMs), weight, success, random.hex(16), "", name, 0, new Set());
        }
      }
    }
    for (let at = Math.ceil(start / availabilityEveryMs) * availabilityEveryMs; at < start + lengthMs; at += availabilityEveryMs) builder.availability(workload, at);
  }
  return builder.rows;
}
