// Fault injection over HTTP, against the shared test sandbox.
import { readFileSync } from "node:fs";
import { request } from "node:https";
import { afterEach, describe, expect, it } from "vitest";
import { httpsJson, readEndpoints } from "./test-support/sandbox-client";
import { Faults } from "./faults";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");
const faultsUrl = endpoints.faultsEndpoint as string;
const armUrl = `${endpoints.armEndpoint as string}/subscriptions/${(endpoints.subscriptionIds as string[])[0]}/providers/Microsoft.ContainerService/managedClusters?api-version=2025-01-01`;

const setFaults = (body: unknown, method = "PUT") => httpsJson(faultsUrl, { ca, method, body });

/** Resolves with the status, or with the socket error when the connection is dropped. */
function hit(url: string): Promise<{ status?: number; headers?: Record<string, unknown>; error?: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(url, { method: "POST", ca, headers: { "content-type": "application/json" } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, ms: performance.now() - started }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message, ms: performance.now() - started }));
    req.end("{}");
  });
}

afterEach(async () => {
  await setFaults({}, "DELETE");
});

describe("/_sandbox/faults", () => {
  it("answers 429 with Retry-After in the API's own error shape", async () => {
    await setFaults({ rules: [{ api: "graph", errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 }] });
    const response = await httpsJson(`${endpoints.graphEndpoint}/v1.0/me/getMemberObjects`, { ca, method: "POST", body: {} });
    expect(response.status).toBe(429);
    expect(response.headers["retry-after"]).toBe("7");
    expect(response.body).toMatchObject({ error: "temporarily_unavailable" });
    // A rule for Graph leaves ARM alone: without a token it answers its own 401.
    expect((await httpsJson(armUrl, { ca })).status).toBe(401);
  });

  it("adds latency, drops connections and makes an API unreachable", async () => {
    await setFaults({ rules: [{ api: "graph", latencyMs: 300 }] });
    const slow = await hit(`${endpoints.graphEndpoint}/v1.0/me/getMemberObjects`);
    expect(slow.status).toBe(401);
    expect(slow.ms).toBeGreaterThanOrEqual(290);
    await setFaults({ rules: [{ api: "graph", errorRate: 1, drop: true }] });
    expect((await hit(`${endpoints.graphEndpoint}/v1.0/me/getMemberObjects`)).error).toBe("ECONNRESET");
    await setFaults({ rules: [{ api: "arm", unreachable: true }] });
    expect((await hit(armUrl)).error).toBe("ECONNRESET");
    expect((await httpsJson(`https://localhost:${endpoints.port}/_sandbox/health`, { ca })).status).toBe(200);
  });

  it("refuses a malformed rule with 400 and keeps the old ones", async () => {
    await setFaults({ rules: [{ api: "graph", latencyMs: 1 }] });
    const bad = await setFaults({ rules: [{ api: "dns", errorRate: 2 }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("api must be one of");
    expect((await httpsJson(faultsUrl, { ca })).body).toMatchObject({ rules: [{ api: "graph", latencyMs: 1 }] });
  });

  it("applies Log Analytics rules per workspace, by id or name, and refuses a workspace on another API", async () => {
    const faults = new Faults(() => 0);
    faults.set({
      rules: [
        { api: "logs", workspace: "log-wharf-prod", errorRate: 1, errorStatus: 503 },
        { api: "logs", workspace: "LOG-WHARF-NONPROD", partialError: true },
      ],
    });
    const prod = { api: "logs" as const, workspace: { id: "11111111-1111-4111-8111-111111111111", name: "log-wharf-prod" } };
    const nonprod = { api: "logs" as const, workspace: { id: "22222222-2222-4222-8222-222222222222", name: "log-wharf-nonprod" } };
    expect(faults.outcome(prod)).toMatchObject({ error: { status: 503, body: { error: { code: "ServiceUnavailableError" } } }, partialError: false });
    expect(faults.outcome(nonprod)).toMatchObject({ partialError: true });
    expect(faults.outcome(nonprod).error).toBeUndefined();
    faults.set({ rules: [{ api: "logs", workspace: nonprod.workspace.id, latencyMs: 5 }] });
    expect(faults.outcome(nonprod).latencyMs).toBe(5);
    expect(faults.outcome(prod).latencyMs).toBe(0);
    const bad = await setFaults({ rules: [{ api: "arm", workspace: "log-wharf-prod" }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("workspace applies only to api logs");
  });

  it("applies rules per cluster and reports watch limits", () => {
    const faults = new Faults(() => 0);
    faults.set({
      rules: [
        { api: "kubernetes", cluster: "aks-lab-neu", unreachable: true },
        { api: "kubernetes", watchEndAfterMs: 2000 },
      ],
    });
    expect(faults.watchEndAfterMs({ api: "kubernetes", cluster: "aks-dev-weu" })).toBe(2000);
    expect(faults.watchEndAfterMs({ api: "arm" })).toBeUndefined();
  });

  it("applies a Cost Management rule to the Query or the Forecast endpoint alone, and refuses an operation on another API", () => {
    const faults = new Faults(() => 0);
    faults.set({ rules: [{ api: "cost", operation: "forecast", errorRate: 1, errorStatus: 500 }] });
    expect(faults.outcome({ api: "cost", operation: "forecast" }).error?.status).toBe(500);
    expect(faults.outcome({ api: "cost", operation: "query" }).error).toBeUndefined();
    expect(() => faults.set({ rules: [{ api: "logs", operation: "query" }] })).toThrow(/operation applies only to api cost/);
  });

  it("has other clients spend Cost Management's QPU once per rule, on the endpoint it names, and refuses it on another API", () => {
    const faults = new Faults(() => 0);
    faults.set({
      rules: [
        { api: "cost", qpuSpentByOthers: 12 },
        { api: "cost", operation: "forecast", qpuSpentByOthers: 5 },
      ],
    });
    expect(faults.takeQpuSpentByOthers({ api: "cost", operation: "query" })).toBe(12);
    expect(faults.takeQpuSpentByOthers({ api: "cost", operation: "query" })).toBe(0);
    expect(faults.takeQpuSpentByOthers({ api: "cost", operation: "forecast" })).toBe(5);
    expect(faults.takeQpuSpentByOthers({ api: "cost", operation: "forecast" })).toBe(0);
    // A new set of rules spends again.
    faults.set({ rules: [{ api: "cost", qpuSpentByOthers: 3 }] });
    expect(faults.takeQpuSpentByOthers({ api: "cost", operation: "forecast" })).toBe(3);
    expect(() => faults.set({ rules: [{ api: "arm", qpuSpentByOthers: 3 }] })).toThrow(/qpuSpentByOthers applies only to api cost/);
  });
});
