// Synthetic telemetry from what really runs in a sandbox cluster: Deployments
// rendered by Wharf's own renderer and rolled out by the sandbox controller,
// then the rows a query over them would see, summed here by ItemCount.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDeployment, type RenderDeploymentInput } from "@/lib/deployments/render";
import { sandboxClusters } from "../../clusters";
import { startController } from "../../kubernetes/controller/controller";
import type { KubeObject } from "../../kubernetes/objects";
import { ClusterOperations } from "../../kubernetes/operations";
import { findResource, type ResourceType } from "../../kubernetes/resources";
import { ClusterStore } from "../../kubernetes/store";
import type { AppInsightsTableName } from "../app-insights-schema";
import type { KqlRow } from "../kql/types";
import { componentResourceId, sandboxComponents, sandboxWorkspaces } from "../../workspaces";
import { availabilityLocations } from "./generate";
import { createTelemetrySource, retentionMs } from "./source";
import { workloadsOf } from "./workloads";

const type = (group: string, plural: string) => findResource(group, "v1", plural) as ResourceType;
const deployments = type("apps", "deployments");
const replicaSets = type("apps", "replicasets");
const pods = type("", "pods");
const cluster = sandboxClusters.find((c) => c.environment === "dev")!;
const workspace = sandboxWorkspaces.find((w) => w.name === "log-wharf-nonprod")!;
const namespace = "shop";
const minute = 60_000;

const store = new ClusterStore(cluster.name);
const operations = new ClusterOperations(store, { namespaceFinalizeDelayMs: 20 });
let controller: { stop(): void };

const spec = {
  imageRepository: "contoso.azurecr.io/shop/app",
  port: 8080,
  replicas: 2,
  cpuRequest: "100m",
  cpuLimit: "500m",
  memoryRequest: "128Mi",
  memoryLimit: "256Mi",
  readinessPath: "/ready",
  livenessPath: "/healthz",
};
const services: Record<string, RenderDeploymentInput["service"]> = {
  web: {
    slug: "web",
    appInsightsRoleName: "shop-web",
    dependencies: [
      { kind: "service", target: "orders-api" },
      { kind: "sql", target: "orders-db" },
      { kind: "redis", target: "shop-cache" },
      { kind: "http", target: "api.stripe.com" },
    ],
  },
  "orders-api": { slug: "orders-api", appInsightsRoleName: "shop-orders", dependencies: [{ kind: "servicebus", target: "sb-shop" }] },
  // No role name: nothing to report as.
  batch: { slug: "batch" },
};
const revisions: Record<string, number> = {};

function deploy(service: string, tag: string): void {
  revisions[service] = (revisions[service] ?? 0) + 1;
  const { deployment } = renderDeployment({
    service: services[service]!,
    deploySpec: spec,
    team: { slug: "shop" },
    namespace: { name: namespace },
    image: { tag },
    changeCause: `Deploy ${tag}`,
    revision: revisions[service]!,
  });
  operations.apply(deployments, namespace, service, deployment, { manager: "wharf", fieldValidation: "Strict", force: true });
}

function until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`condition not met within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = store.subscribe(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      unsubscribe();
      resolve();
    });
  });
}

const deployment = (name: string) =>
  store.get(deployments, namespace, name) as KubeObject & {
    status?: { availableReplicas?: number; updatedReplicas?: number; replicas?: number; observedGeneration?: number };
  };
const rolledOut = (name: string) => () => {
  const current = deployment(name);
  const status = current?.status;
  return (
    status?.observedGeneration === current?.metadata.generation && status?.updatedReplicas === 2 && status?.availableReplicas === 2 && status?.replicas === 2
  );
};

function source(now: Date, seed = "test-seed") {
  const workloads = workloadsOf({ cluster, deployments: store.view(deployments), replicaSets: store.view(replicaSets), pods: store.view(pods) });
  return { workloads, source: createTelemetrySource({ seed, now, workspaces: [{ workspace, workloads }] }) };
}

function rows(table: AppInsightsTableName, from: Date, to: Date, now = to, seed?: string): KqlRow[] {
  return [...source(now, seed).source.rows(table, { start: from, end: to })];
}

const weight = (rs: readonly KqlRow[]) => rs.reduce((sum, r) => sum + (r.ItemCount as number), 0);
const failureRate = (rs: readonly KqlRow[]) => weight(rs.filter((r) => r.Success === false)) / weight(rs);
function p95(rs: readonly KqlRow[]): number {
  const sorted = [...rs].sort((a, b) => (a.DurationMs as number) - (b.DurationMs as number));
  let seen = 0;
  const total = weight(sorted);
  for (const r of sorted) {
    seen += r.ItemCount as number;
    if (seen >= 0.95 * total) return r.DurationMs as number;
  }
  return Number.NaN;
}
const ofRole = (role: string) => (r: KqlRow) => r.AppRoleName === role;
/** Half an hour of telemetry after the latest change, seen from 30 minutes ahead (the cluster state stays as it is now). */
const ahead = () => ({ from: new Date(Date.now() + minute), to: new Date(Date.now() + 30 * minute) });

beforeAll(async () => {
  operations.create(type("", "namespaces"), undefined, { metadata: { name: namespace } }, { manager: "test" });
  controller = startController(store, { speed: 50 });
  for (const service of Object.keys(services)) deploy(service, "1.0");
  await until(() => Object.keys(services).every((s) => rolledOut(s)()));
});

afterAll(() => {
  controller?.stop();
  operations.close();
});

describe("synthetic telemetry of the Deployments that run", () => {
  it("gives the same rows column by column (only the columns asked for) as row by row, over any range, cached or not", () => {
    const now = new Date(Date.now() + 30 * minute);
    // Across minute and 5-minute buckets, starting and ending inside buckets; some columns the evaluator never asks for.
    const range = { start: new Date(now.getTime() - 47 * minute - 1234), end: new Date(now.getTime() - 2 * minute - 567) };
    const tables: AppInsightsTableName[] = ["AppRequests", "AppDependencies", "AppAvailabilityResults", "AppExceptions"];
    for (const table of tables) {
      const expected = [...source(now).source.rows(table, range)];
      expect(expected.length, table).toBeGreaterThan(0);
      const columns = [
        "AppRoleName",
        "DurationMs",
        "Success",
        "ItemCount",
        "OperationId",
        "Id",
        "ParentId",
        "AppVersion",
        "AppRoleInstance",
        "Properties",
        "_ResourceId",
      ];
      // Twice: generated, then from the bucket cache.
      for (let pass = 0; pass < 2; pass++) {
        const read: Record<string, unknown>[] = [];
        for (const batch of source(now).source.columns(table, range, columns)) {
          for (let r = 0; r < batch.length; r++) read.push(Object.fromEntries(columns.map((name, i) => [name, batch.values[i]![r] ?? null])));
        }
        expect(read, table).toEqual(expected.map((row) => Object.fromEntries(columns.map((name) => [name, row[name] ?? null]))));
      }
    }
  });

  it("reports each role named by OTEL_SERVICE_NAME, healthy while its pods are, under its environment's component", () => {
    const { from, to } = ahead();
    const requests = rows("AppRequests", from, to);
    expect(new Set(requests.map((r) => r.AppRoleName))).toEqual(new Set(["shop-web", "shop-orders"]));
    const web = requests.filter(ofRole("shop-web"));
    expect(failureRate(web)).toBeLessThan(0.03);
    expect(p95(web)).toBeLessThan(2000);
    const dev = sandboxComponents.find((c) => c.environment === "dev")!;
    expect(new Set(requests.map((r) => r._ResourceId))).toEqual(new Set([componentResourceId(dev).toLowerCase()]));
    expect(web[0]).toMatchObject({ Type: "AppRequests", TenantId: workspace.customerId, AppVersion: "1.0", ResourceGUID: dev.appId });
    expect(web[0]?.TimeGenerated).toBeInstanceOf(Date);
    expect(String(web[0]?.AppRoleInstance)).toMatch(/^web-[0-9a-f]+-[0-9a-f]{5}$/);
  });

  it("links each call to another role to the callee's request by Id = ParentId within one OperationId", () => {
    const { from, to } = ahead();
    const dependencies = rows("AppDependencies", from, to);
    const callees = rows("AppRequests", from, to).filter((r) => r.ParentId);
    expect(callees.length).toBeGreaterThan(0);
    const byId = new Map(dependencies.map((d) => [d.Id, d]));
    for (const request of callees) {
      const call = byId.get(request.ParentId);
      expect(call).toMatchObject({
        AppRoleName: "shop-web",
        OperationId: request.OperationId,
        DependencyType: "Http",
        Target: "orders-api",
        ItemCount: request.ItemCount,
        Success: request.Success,
      });
      expect(request.AppRoleName).toBe("shop-orders");
    }
    // Every dependency row hangs off a request of its operation.
    const requestIds = new Set(rows("AppRequests", from, to).map((r) => `${r.OperationId}/${r.Id}`));
    expect(dependencies.every((d) => requestIds.has(`${d.OperationId}/${d.ParentId}`))).toBe(true);
    const targets = new Set(dependencies.map((d) => `${d.AppRoleName} ${d.DependencyType} ${d.Target}`));
    expect([...targets]).toEqual(
      expect.arrayContaining([
        "shop-web SQL orders-db.database.windows.net|orders-db",
        "shop-web redis shop-cache.redis.cache.windows.net",
        "shop-web Http api.stripe.com",
        "shop-orders Queue Message | Microsoft.ServiceBus sb-shop.servicebus.windows.net/sb_shop",
        // Nobody declared this one.
        "shop-web Http login.microsoftonline.com",
      ]),
    );
  });

  it("weights rows by ItemCount: a few rows a minute stand for all the requests", () => {
    const { from, to } = ahead();
    const { workloads } = source(to);
    expect(workloads.map((w) => w.roleName).sort()).toEqual(["shop-orders", "shop-web"]);
    const web = rows("AppRequests", from, to).filter((r) => r.AppRoleName === "shop-web" && !r.ParentId);
    const perMinute = weight(web) / 29;
    expect(web.length / 29).toBeLessThanOrEqual(4 * 4 + 2 * 4);
    expect(web.some((r) => (r.ItemCount as number) > 1)).toBe(true);
    expect(perMinute).toBeGreaterThan(5);
  });

  it("runs availability tests from several locations", () => {
    const { from, to } = ahead();
    const results = rows("AppAvailabilityResults", from, to).filter((r) => r.Name === "shop-web");
    expect(new Set(results.map((r) => r.Location))).toEqual(new Set(availabilityLocations));
    expect(results.length).toBeGreaterThanOrEqual(5 * 5);
    expect(results.filter((r) => r.Success === true).length / results.length).toBeGreaterThan(0.9);
  });

  it("is the same for the same seed and state, and different for another seed", () => {
    const to = new Date(Date.now() + 10 * minute);
    const from = new Date(to.getTime() - 10 * minute);
    const a = JSON.stringify(rows("AppDependencies", from, to, to, "alpha"));
    expect(JSON.stringify(rows("AppDependencies", from, to, to, "alpha"))).toBe(a);
    expect(JSON.stringify(rows("AppDependencies", from, to, to, "beta"))).not.toBe(a);
  });

  it("answers 30 days from generated buckets without holding them", () => {
    const now = new Date();
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    let items = 0;
    let oldest = Infinity;
    let peak = before;
    for (const row of source(now).source.rows("AppRequests", { start: new Date(now.getTime() - 40 * 24 * 3_600_000), end: now })) {
      count += 1;
      items += row.ItemCount as number;
      oldest = Math.min(oldest, (row.TimeGenerated as Date).getTime());
      if (count % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(count).toBeGreaterThan(10_000);
    expect(items).toBeGreaterThan(count);
    // Retention: nothing older than 30 days.
    expect(oldest).toBeGreaterThanOrEqual(now.getTime() - retentionMs);
    expect(oldest).toBeLessThan(now.getTime() - retentionMs + 3_600_000);
    expect(peak - before).toBeLessThan(150 * 1024 * 1024);
  });
});

describe("what the cluster does to a role's telemetry", () => {
  it("the image tag errors fails about 20 % of requests", async () => {
    deploy("web", "errors");
    await until(rolledOut("web"));
    const { from, to } = ahead();
    const web = rows("AppRequests", from, to).filter(ofRole("shop-web"));
    expect(failureRate(web)).toBeGreaterThan(0.15);
    expect(failureRate(web)).toBeLessThan(0.26);
    expect(web[0]?.AppVersion).toBe("errors");
    expect(rows("AppExceptions", from, to).filter(ofRole("shop-web")).length).toBeGreaterThan(0);
    // The callee's own failure rate is its own.
    expect(failureRate(rows("AppRequests", from, to).filter(ofRole("shop-orders")))).toBeLessThan(0.05);
  });

  it("the image tag slow puts p95 above 2 s", async () => {
    deploy("web", "slow");
    await until(rolledOut("web"));
    const { from, to } = ahead();
    const web = rows("AppRequests", from, to).filter(ofRole("shop-web"));
    expect(p95(web)).toBeGreaterThan(2000);
    expect(failureRate(web)).toBeLessThan(0.05);
  });

  it("crashing pods raise the failure rate and fail availability tests of a role that has none ready", async () => {
    const { from, to } = ahead();
    const before = failureRate(rows("AppRequests", from, to).filter(ofRole("shop-orders")));
    deploy("orders-api", "crash");
    await until(() => store.view(pods, namespace).some((p) => JSON.stringify(p.status ?? {}).includes("CrashLoopBackOff")));
    const after = rows("AppRequests", from, to).filter(ofRole("shop-orders"));
    expect(failureRate(after)).toBeGreaterThan(before + 0.1);
    expect(after.some((r) => r.ResultCode === "503")).toBe(true);
    const exceptions = rows("AppExceptions", from, to).filter(ofRole("shop-orders"));
    expect(exceptions.some((e) => String(e.OuterMessage).includes("CrashLoopBackOff"))).toBe(true);

    // A role whose every pod crashes: every request and availability test fails.
    operations.delete(deployments, namespace, "orders-api", {});
    await until(() => !store.view(pods, namespace).some((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "orders-api"));
    revisions["orders-api"] = 0;
    deploy("orders-api", "crash");
    await until(() => store.view(pods, namespace).filter((p) => p.metadata.labels?.["app.kubernetes.io/name"] === "orders-api").length === 2);
    const down = rows("AppRequests", from, to).filter(ofRole("shop-orders"));
    expect(failureRate(down)).toBe(1);
    const availability = rows("AppAvailabilityResults", from, to).filter((r) => r.Name === "shop-orders");
    expect(availability.length).toBeGreaterThan(0);
    expect(availability.every((r) => r.Success === false)).toBe(true);
  });
});
