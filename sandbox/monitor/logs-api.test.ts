// The sandbox's Log Analytics as the real LogsQueryClient sees it, against the
// running test sandbox: a Deployment rendered by Wharf and rolled out on a
// sandbox cluster reports telemetry under its role name, and queries, batches,
// errors, partial failures and throttling come back as the SDK expects them.
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import type { RestError } from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@azure/identity";
import { LogsQueryClient, type LogsQueryError, type LogsQueryResult } from "@azure/monitor-query-logs";
import { AppsV1Api, CoreV1Api, KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { renderDeployment } from "@/lib/deployments/render";
import { httpsJson, readEndpoints } from "../test-support/sandbox-client";
import { componentResourceId, sandboxComponents, sandboxWorkspaces } from "../workspaces";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");
const credential = new ClientSecretCredential(endpoints.tenantId, endpoints.clientId, endpoints.clientSecret, {
  authorityHost: `https://localhost:${endpoints.port}`,
  disableInstanceDiscovery: true,
  tlsOptions: { ca },
});
const logsEndpoint = endpoints.logsEndpoint as string;
const client = new LogsQueryClient(credential, { endpoint: logsEndpoint, tlsOptions: { ca } });
/** Sees 429s and 503s as they come instead of retrying them. */
const impatient = new LogsQueryClient(credential, { endpoint: logsEndpoint, tlsOptions: { ca }, retryOptions: { maxRetries: 0 } });

const nonprod = sandboxWorkspaces.find((w) => w.name === "log-wharf-nonprod")!;
const prod = sandboxWorkspaces.find((w) => w.name === "log-wharf-prod")!;
const suffix = Date.now().toString(36);
const role = `contract-${suffix}`;
const namespace = `logs-${suffix}`;
const hour = 3_600_000;

const setFaults = (rules: unknown[]) => httpsJson(endpoints.faultsEndpoint as string, { ca, method: "PUT", body: { rules } });

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    return error as RestError;
  }
  throw new Error("expected the call to fail");
}

function success(result: LogsQueryResult | LogsQueryError) {
  if (result.status !== "Success") throw new Error(`expected Success, got ${JSON.stringify(result)}`);
  return result;
}

beforeAll(async () => {
  // The shared sandbox's dev cluster (environment dev → appi-wharf-dev → log-wharf-nonprod), reached as Wharf reaches it.
  const arm = new ContainerServiceClient(credential, (endpoints.subscriptionIds as string[])[0]!, {
    endpoint: endpoints.armEndpoint as string,
    tlsOptions: { ca },
  });
  const credentials = await arm.managedClusters.listClusterUserCredentials(endpoints.resourceGroup as string, "aks-dev-weu");
  const config = new KubeConfig();
  config.loadFromString(Buffer.from(credentials.kubeconfigs![0]!.value!).toString("utf8"));
  await config.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  const { deployment } = renderDeployment({
    service: { slug: "contract-api", appInsightsRoleName: role, dependencies: [{ kind: "sql", target: "contract-db" }] },
    deploySpec: {
      imageRepository: "contoso.azurecr.io/contract/api",
      port: 8080,
      replicas: 2,
      cpuRequest: "100m",
      cpuLimit: "500m",
      memoryRequest: "128Mi",
      memoryLimit: "256Mi",
      readinessPath: "/ready",
      livenessPath: "/healthz",
    },
    team: { slug: "contract" },
    namespace: { name: namespace },
    image: { tag: "1.0" },
    changeCause: "Deploy 1.0",
    revision: 1,
  });
  const apps = config.makeApiClient(AppsV1Api);
  await apps.createNamespacedDeployment({ namespace, body: deployment as never });
  for (let i = 0; i < 300; i++) {
    if ((await apps.readNamespacedDeployment({ name: "contract-api", namespace })).status?.availableReplicas === 2) return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error("contract-api did not become available within 15 s");
});

afterEach(async () => {
  await setFaults([]);
});

const perRole = `AppRequests | where AppRoleName == "${role}" | summarize Requests = sum(ItemCount), Failed = sumif(ItemCount, Success == false), First = min(TimeGenerated), Last = max(TimeGenerated) by AppRoleName`;

describe("queryWorkspace through @azure/monitor-query-logs", () => {
  it("answers a duration with the role's telemetry, and statistics when asked", async () => {
    const result = success(
      await client.queryWorkspace(nonprod.customerId, perRole, { duration: "PT1H" }, { serverTimeoutInSeconds: 60, includeQueryStatistics: true }),
    );
    const [table] = result.tables;
    expect(table?.columnDescriptors.map((c) => [c.name, c.type])).toEqual([
      ["AppRoleName", "string"],
      ["Requests", "long"],
      ["Failed", "long"],
      ["First", "datetime"],
      ["Last", "datetime"],
    ]);
    const [name, requests, failed, first, last] = table!.rows[0]!;
    expect(name).toBe(role);
    expect(requests).toBeGreaterThan(0);
    expect(failed as number).toBeLessThan((requests as number) * 0.1);
    expect(first).toBeInstanceOf(Date);
    expect((first as Date).getTime()).toBeGreaterThanOrEqual(Date.now() - hour - 5_000);
    expect((last as Date).getTime()).toBeLessThanOrEqual(Date.now());
    expect(result.statistics).toMatchObject({
      query: { executionTime: expect.any(Number), inputDatasetStatistics: { rows: { scanned: expect.any(Number) } } },
    });
  });

  it("keeps to start/end and start/duration timespans", async () => {
    const startTime = new Date(Math.floor(Date.now() / hour) * hour - 48 * hour);
    const endTime = new Date(startTime.getTime() + 6 * hour);
    for (const timespan of [
      { startTime, endTime },
      { startTime, duration: "PT6H" },
    ]) {
      const [row] = success(await client.queryWorkspace(nonprod.customerId, perRole, timespan)).tables[0]!.rows;
      expect((row![3] as Date).getTime()).toBeGreaterThanOrEqual(startTime.getTime());
      expect((row![4] as Date).getTime()).toBeLessThanOrEqual(endTime.getTime());
      expect(row![1]).toBeGreaterThan(0);
    }
    // Another environment's workspace has none of this role's rows.
    expect(success(await client.queryWorkspace(prod.customerId, perRole, { duration: "PT1H" })).tables[0]!.rows).toEqual([]);
  });

  it("tags every row with its component and answers a query addressed to the component", async () => {
    const dev = sandboxComponents.find((c) => c.environment === "dev")!;
    const query = `AppDependencies | where AppRoleName == "${role}" | summarize Calls = sum(ItemCount) by _ResourceId, DependencyType, Target | order by Calls desc`;
    const rows = success(await client.queryWorkspace(nonprod.customerId, query, { duration: "PT15M" })).tables[0]!.rows;
    expect(rows.map((r) => r[0])).toEqual(rows.map(() => componentResourceId(dev).toLowerCase()));
    expect(rows.map((r) => `${r[1]} ${r[2]}`)).toContain("SQL contract-db.database.windows.net|contract-db");
    const viaComponent = success(await client.queryResource(componentResourceId(dev), perRole, { duration: "PT1H" }));
    expect(viaComponent.tables[0]!.rows[0]![0]).toBe(role);
  });

  it("reads the workspaces named in additionalWorkspaces too, and refuses one that does not exist", async () => {
    const query = `union AppRequests, AppAvailabilityResults | where AppRoleName == "${role}" or Name == "${role}" | summarize Rows = count() by TenantId | order by TenantId asc`;
    const both = success(await client.queryWorkspace(prod.customerId, query, { duration: "PT15M" }, { additionalWorkspaces: [nonprod.name] }));
    expect(both.tables[0]!.rows.map((r) => r[0])).toEqual([nonprod.customerId]);
    const error = await restError(client.queryWorkspace(prod.customerId, query, { duration: "PT15M" }, { additionalWorkspaces: ["log-nowhere"] }));
    expect(error).toMatchObject({ statusCode: 404, code: "WorkspaceNotFoundError" });
  });

  it("refuses an unknown column with 400 BadArgumentError and the parser's message", async () => {
    const error = await restError(client.queryWorkspace(nonprod.customerId, "AppRequests | where NoSuchColumn == 1", { duration: "PT1H" }));
    expect(error).toMatchObject({ statusCode: 400, code: "BadArgumentError" });
    expect(error.details).toMatchObject({
      error: {
        code: "BadArgumentError",
        innererror: { code: "SemanticError", message: expect.stringContaining("'NoSuchColumn' does not refer to any known column") },
      },
    });
  });

  it("answers 404 for a workspace that does not exist", async () => {
    const error = await restError(client.queryWorkspace("00000000-0000-4000-8000-000000000000", "AppRequests | take 1", { duration: "PT1H" }));
    expect(error).toMatchObject({ statusCode: 404, code: "WorkspaceNotFoundError" });
  });

  it("returns a PartialError with the tables when a workspace is faulted so", async () => {
    await setFaults([{ api: "logs", workspace: "log-wharf-nonprod", partialError: true }]);
    const result = await client.queryWorkspace(nonprod.customerId, perRole, { duration: "PT1H" });
    expect(result.status).toBe("PartialFailure");
    if (result.status !== "PartialFailure") return;
    expect(result.partialError).toMatchObject({
      code: "PartialError",
      message: "There were some errors when processing your query.",
      details: [expect.objectContaining({ code: "EngineError" })],
    });
    expect(result.partialTables[0]?.rows[0]?.[0]).toBe(role);
    // The other workspace is not affected.
    expect((await client.queryWorkspace(prod.customerId, "AppRequests | take 1", { duration: "PT5M" })).status).toBe("Success");
  });

  it("answers 429 with Retry-After for a throttled workspace, and past 5 queries at once per caller", async () => {
    await setFaults([{ api: "logs", workspace: prod.customerId, errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 }]);
    const throttled = await restError(impatient.queryWorkspace(prod.customerId, "AppRequests | take 1", { duration: "PT5M" }));
    expect(throttled).toMatchObject({ statusCode: 429, code: "ThrottledError" });
    expect(throttled.response?.headers.get("retry-after")).toBe("7");

    // Six at once, each held 1.5 s: the sixth is over the caller's concurrency limit.
    await setFaults([{ api: "logs", workspace: "log-wharf-nonprod", latencyMs: 1500 }]);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, () => impatient.queryWorkspace(nonprod.customerId, "AppRequests | take 1", { duration: "PT5M" })),
    );
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected").map((o) => o.reason as RestError);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ statusCode: 429, code: "ThrottledError", message: expect.stringContaining("concurrent") });
    expect(refused[0]?.response?.headers.get("retry-after")).toBe("1");
  });

  it("drops the connection of a workspace faulted so", async () => {
    await setFaults([{ api: "logs", workspace: "log-wharf-prod", errorRate: 1, drop: true }]);
    const error = await restError(impatient.queryWorkspace(prod.customerId, "AppRequests | take 1", { duration: "PT5M" }));
    expect(error.code).toMatch(/ECONNRESET|REQUEST_SEND_ERROR/);
  });
});

describe("queryBatch through @azure/monitor-query-logs", () => {
  it("answers in request order, a failed query as that item's failure", async () => {
    const results = await client.queryBatch([
      {
        workspaceId: nonprod.customerId,
        query: `${perRole} | extend Tag = "first"`,
        timespan: { duration: "PT1H" },
        includeQueryStatistics: true,
        serverTimeoutInSeconds: 30,
      },
      { workspaceId: nonprod.customerId, query: "AppRequests | where NoSuchColumn == 1", timespan: { duration: "PT1H" } },
      { workspaceId: prod.customerId, query: 'AppDependencies | summarize Calls = count() | extend Tag = "third"', timespan: { duration: "PT5M" } },
    ]);
    expect(results.map((r) => r.status)).toEqual(["Success", "PartialFailure", "Success"]);
    const first = success(results[0]!);
    expect(first.tables[0]!.rows[0]!.at(-1)).toBe("first");
    expect(first.statistics).toBeDefined();
    expect(success(results[2]!).tables[0]!.rows[0]!.at(-1)).toBe("third");
    const second = results[1]!;
    if (second.status === "PartialFailure") expect(second.partialError).toMatchObject({ code: "BadArgumentError" });
  });
});

describe("faults per workspace inside a batch", () => {
  it("fails only the item whose workspace is faulted, with that item's status", async () => {
    await setFaults([{ api: "logs", workspace: "log-wharf-prod", errorRate: 1, errorStatus: 500 }]);
    const results = await impatient.queryBatch([
      { workspaceId: nonprod.customerId, query: "AppRequests | take 1", timespan: { duration: "PT5M" } },
      { workspaceId: prod.customerId, query: "AppRequests | take 1", timespan: { duration: "PT5M" } },
    ]);
    expect(results.map((r) => r.status)).toEqual(["Success", "PartialFailure"]);
    const failed = results[1]!;
    if (failed.status === "PartialFailure")
      expect(failed.partialError).toMatchObject({ code: "InternalServerError", message: expect.stringContaining("/_sandbox/faults") });
  });
});

describe("the query API on the wire", () => {
  const post = (path: string, body: unknown, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>((resolve, reject) => {
      const req = request(`${logsEndpoint}${path}`, { method: "POST", ca, headers: { "content-type": "application/json", ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null") }));
      });
      req.on("error", reject);
      req.end(JSON.stringify(body));
    });

  it("honours Prefer and says so, and refuses a bad timespan with what to change", async () => {
    const { token } = await credential.getToken(endpoints.logsScope as string);
    const ok = await post(
      `/workspaces/${nonprod.customerId}/query`,
      { query: "AppRequests | take 1", timespan: "PT5M" },
      { authorization: `Bearer ${token}`, prefer: "wait=30,include-statistics=true" },
    );
    expect(ok.status).toBe(200);
    expect(ok.headers["preference-applied"]).toBe("wait=30,include-statistics=true");
    expect(ok.body).toHaveProperty("statistics");
    const bad = await post(
      `/workspaces/${nonprod.customerId}/query`,
      { query: "AppRequests | take 1", timespan: "yesterday" },
      { authorization: `Bearer ${token}` },
    );
    expect(bad).toMatchObject({
      status: 400,
      body: { error: { code: "BadArgumentError", innererror: { code: "InvalidTimespanError", message: expect.stringContaining("ISO 8601") } } },
    });
  });

  it("answers 401 without a token and 403 for a token of another audience", async () => {
    const none = await post(`/workspaces/${nonprod.customerId}/query`, { query: "AppRequests | take 1" }, {});
    expect(none).toMatchObject({ status: 401, body: { error: { code: "AuthenticationFailed" } } });
    expect(none.headers["www-authenticate"]).toContain("Bearer authorization_uri=");
    const { token } = await credential.getToken(endpoints.armScope as string);
    const arm = await post(`/workspaces/${nonprod.customerId}/query`, { query: "AppRequests | take 1" }, { authorization: `Bearer ${token}` });
    expect(arm).toMatchObject({ status: 403, body: { error: { code: "InvalidAuthenticationTokenAudience" } } });
  });
});
