// Each role's own traffic profile, drawn from the seed and its name: how busy
// it is, its operations, its usual latency and failure rate, how often it
// calls each dependency, and a few dependencies nobody declared. Then what
// the cluster does to it at a moment: the image tag's behaviour (`errors`,
// `slow`) and pods that crash or are not ready.
import { seededRandom } from "./random";
import type { DeclaredDependency, Workload, WorkloadRevision } from "./workloads";

export interface Operation {
  method: string;
  path: string;
  weight: number;
}

/** One of the operations a dependency is called with (AppDependencies.Name and Data), how often, and how fragile. */
export interface CallOperation {
  name: string;
  data: string;
  weight: number;
  /** Its failure rate against the call's average: writes fail (deadlocks, conflicts) more than reads. */
  failureFactor: number;
  /** AppDependencies.ResultCode when it succeeds, when not the type's usual one (201 for an HTTP POST). */
  successCode?: string;
}

export interface ExternalCall {
  /** AppDependencies.DependencyType, as the Azure Monitor OpenTelemetry exporter writes it. */
  type: string;
  /** AppDependencies.Target: the logical host (no port), `server|database` for SQL. */
  target: string;
  /** The operation when `operations` is absent. */
  name: string;
  data: string;
  /** The operations its calls are spread over; weighted failure factors average 1, so `failure` stays the call's rate. */
  operations?: readonly CallOperation[];
  /** AppDependencies.ResultCode of a success; the type's usual one when absent (200 for HTTP, 0 otherwise). */
  successCode?: string;
  /** The result codes a failure records, the first the most frequent; the type's usual ones when absent. */
  failureCodes?: readonly string[];
  medianMs: number;
  failure: number;
  /** Calls per request. */
  perRequest: number;
}

/** `operations` with failure factors scaled so their weighted average is 1. */
function operationsOf(operations: readonly CallOperation[]): CallOperation[] {
  const weight = operations.reduce((sum, op) => sum + op.weight, 0);
  const mean = operations.reduce((sum, op) => sum + op.weight * op.failureFactor, 0) / weight;
  return operations.map((op) => ({ ...op, failureFactor: op.failureFactor / mean }));
}

export interface RoleProfile {
  /** Entry requests per minute at the daily peak, before calls from other roles. */
  ratePerMinute: number;
  operations: Operation[];
  /** Failures of a healthy role: 0.1–0.5 %, under the strictest default degraded threshold (critical, 1 %) with room for noise. */
  baseFailure: number;
  medianMs: number;
  sigma: number;
  /** Calls nobody declared: token endpoints, instance metadata, a vault. */
  undeclared: ExternalCall[];
}

const resources = ["orders", "items", "accounts", "payments", "invoices", "carts", "profiles", "reports", "events", "shipments"];

export function roleProfile(seed: string, roleName: string): RoleProfile {
  const random = seededRandom(`${seed}|profile|${roleName}`);
  const resource = random.pick(resources);
  const operations: Operation[] = [
    { method: "GET", path: `/api/${resource}`, weight: 5 + random.int(5) },
    { method: "GET", path: `/api/${resource}/{id}`, weight: 3 + random.int(6) },
    { method: "POST", path: `/api/${resource}`, weight: 1 + random.int(3) },
  ];
  if (random.next() < 0.5) operations.push({ method: "DELETE", path: `/api/${resource}/{id}`, weight: 1 });
  // Log-uniform from 10 to 600 a minute: some roles are quiet, some busy enough to be sampled.
  const ratePerMinute = Math.round(10 * Math.pow(60, random.next()));
  const undeclaredPool: ExternalCall[] = [
    {
      type: "Http",
      target: "login.microsoftonline.com",
      name: "POST /{tenant}/oauth2/v2.0/token",
      data: "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
      medianMs: 90,
      failure: 0.001,
      perRequest: 0.02,
    },
    {
      type: "Http",
      target: "169.254.169.254",
      name: "GET /metadata/instance/compute",
      data: "http://169.254.169.254/metadata/instance/compute?api-version=2017-12-01&format=json",
      failureCodes: ["403"],
      medianMs: 3,
      failure: 0.5,
      perRequest: 0.005,
    },
    {
      type: "Http",
      target: `kv-${resource}.vault.azure.net`,
      name: "GET /secrets/{name}",
      data: `https://kv-${resource}.vault.azure.net/secrets/connection-string`,
      failureCodes: ["429", "503", "401"],
      medianMs: 25,
      failure: 0.002,
      perRequest: 0.05,
    },
  ];
  const undeclared = undeclaredPool.filter((_, i) => i === 0 || random.next() < 0.5);
  return {
    ratePerMinute,
    operations,
    baseFailure: 0.001 + random.next() * 0.004,
    medianMs: 15 + random.next() * 120,
    sigma: 0.45 + random.next() * 0.25,
    undeclared,
  };
}

const host = (target: string, suffix: string) => (target.includes(".") ? target : `${target}${suffix}`);

/** A declared external dependency as the exporter records it; `service` dependencies are calls to roles, made elsewhere. */
export function externalCall(seed: string, roleName: string, dependency: DeclaredDependency): ExternalCall {
  const random = seededRandom(`${seed}|dependency|${roleName}|${dependency.kind}|${dependency.target}`);
  const table = dependency.target.replace(/[^A-Za-z0-9]+/g, "_");
  switch (dependency.kind) {
    case "sql": {
      const server = host(dependency.target, ".database.windows.net");
      return {
        type: "SQL",
        target: `${server}|${dependency.target.split(".")[0]}`,
        name: `SELECT ${table}`,
        data: `SELECT TOP (@p0) * FROM ${table} WHERE id = @p1`,
        operations: operationsOf([
          { name: `SELECT ${table}`, data: `SELECT TOP (@p0) * FROM ${table} WHERE id = @p1`, weight: 6, failureFactor: 1 },
          { name: `INSERT ${table}`, data: `INSERT INTO ${table} (id, body) VALUES (@p0, @p1)`, weight: 2, failureFactor: 2.5 },
          { name: `UPDATE ${table}`, data: `UPDATE ${table} SET body = @p1 WHERE id = @p0`, weight: 1, failureFactor: 4 },
        ]),
        // Timeout, deadlock victim, database unavailable: SqlException numbers, as the SQL client records them.
        failureCodes: ["-2", "1205", "40613"],
        medianMs: 4 + random.next() * 20,
        failure: 0.001,
        perRequest: 1 + random.int(3),
      };
    }
    case "redis":
      return {
        type: "redis",
        target: host(dependency.target, ".redis.cache.windows.net"),
        name: "get",
        data: `get ${table}:{id}`,
        operations: operationsOf([
          { name: "get", data: `get ${table}:{id}`, weight: 6, failureFactor: 1 },
          { name: "set", data: `set ${table}:{id} ?`, weight: 3, failureFactor: 1.5 },
          { name: "del", data: `del ${table}:{id}`, weight: 1, failureFactor: 1 },
        ]),
        failureCodes: ["ETIMEDOUT", "ECONNRESET"],
        medianMs: 0.8 + random.next() * 2,
        failure: 0.0005,
        perRequest: 1 + random.int(2),
      };
    case "servicebus":
      return {
        type: "Queue Message | Microsoft.ServiceBus",
        target: `${host(dependency.target, ".servicebus.windows.net")}/${table}`,
        name: "ServiceBusSender.send",
        data: "",
        operations: operationsOf([
          { name: "ServiceBusSender.send", data: "", weight: 5, failureFactor: 1 },
          { name: "ServiceBusSender.scheduleMessages", data: "", weight: 1, failureFactor: 2 },
        ]),
        failureCodes: ["ServerBusy", "ServiceTimeout", "QuotaExceeded"],
        medianMs: 8 + random.next() * 20,
        failure: 0.002,
        perRequest: 0.2 + random.next() * 0.6,
      };
    case "cosmosdb":
      return {
        type: "Azure DocumentDB",
        target: host(dependency.target, ".documents.azure.com"),
        name: `Query ${table}`,
        data: "SELECT * FROM c WHERE c.id = @id",
        operations: operationsOf([
          { name: `Query ${table}`, data: "SELECT * FROM c WHERE c.id = @id", weight: 5, failureFactor: 1 },
          { name: `Upsert ${table}`, data: "", weight: 2, failureFactor: 2, successCode: "201" },
        ]),
        successCode: "200",
        // Request rate too large, timeout, service unavailable.
        failureCodes: ["429", "408", "503"],
        medianMs: 5 + random.next() * 10,
        failure: 0.001,
        perRequest: 1,
      };
    case "mongodb":
      return {
        type: "mongodb",
        target: host(dependency.target, ".mongo.cosmos.azure.com"),
        name: `find ${table}`,
        data: "",
        operations: operationsOf([
          { name: `find ${table}`, data: "", weight: 5, failureFactor: 1 },
          { name: `insertOne ${table}`, data: "", weight: 2, failureFactor: 2 },
          { name: `updateOne ${table}`, data: "", weight: 1, failureFactor: 2 },
        ]),
        failureCodes: ["MongoNetworkTimeoutError", "MongoServerSelectionError"],
        medianMs: 3 + random.next() * 10,
        failure: 0.001,
        perRequest: 1,
      };
    default:
      const url = `https://${dependency.target.replace(/^https?:\/\//, "")}`;
      return {
        type: "Http",
        target: dependency.target.replace(/^https?:\/\//, "").replace(/[:/].*$/, ""),
        name: "GET /",
        data: url,
        operations: operationsOf([
          { name: "GET /", data: url, weight: 4, failureFactor: 1 },
          { name: "POST /", data: url, weight: 1, failureFactor: 3, successCode: "201" },
        ]),
        failureCodes: ["503", "500", "504", "429"],
        medianMs: 60 + random.next() * 200,
        failure: 0.005,
        perRequest: 0.3 + random.next() * 0.7,
      };
  }
}

/** The revision serving at `at`: the last one started by then (the oldest for times before any). */
export function revisionAt(workload: Workload, at: number): WorkloadRevision {
  let current = workload.revisions[0]!;
  for (const revision of workload.revisions) if (revision.since <= at) current = revision;
  return current;
}

export interface Condition {
  failure: number;
  medianMs: number;
  sigma: number;
  /** Why requests fail beyond the usual: shapes result codes and exception messages. */
  cause: "none" | "errors" | "unready" | "down";
  /**
   * The share of calls that land on a crash-looping pod and are dropped (part of `failure`): a caller's calls are
   * split by it, so its edge fails by that share rather than by whole rows.
   */
  dropped: number;
  revision: WorkloadRevision;
}

/** The image tag `slow` puts the median here, so p95 is well above 2 s. */
export const slowMedianMs = 1400;
export const errorsFailure = 0.2;

export function conditionAt(profile: RoleProfile, workload: Workload, at: number): Condition {
  const revision = revisionAt(workload, at);
  let { baseFailure: failure, medianMs, sigma } = profile;
  let cause: Condition["cause"] = "none";
  if (revision.tag === "errors") {
    failure = Math.max(failure, errorsFailure);
    cause = "errors";
  }
  if (revision.tag === "slow") {
    medianMs = slowMedianMs;
    sigma = 0.45;
  }
  let dropped = 0;
  if (workload.unreadySince !== undefined && at >= workload.unreadySince) {
    if (workload.down) return { failure: 1, medianMs: medianMs * 0.2, sigma, cause: "down", dropped: 0, revision };
    if (workload.unready > 0) {
      // Pods still starting load the ready ones; a crash-looping pod takes its share of the calls and drops them.
      dropped = Math.min(workload.crashing, workload.unready);
      failure = Math.min(0.95, failure + 0.6 * (workload.unready - dropped));
      failure = dropped + (1 - dropped) * failure;
      medianMs *= 1 + 1.5 * workload.unready;
      cause = "unready";
    }
  }
  return { failure, medianMs, sigma, cause, dropped, revision };
}
