// Cost Management as the real sandbox server wires it: endpoints.json says
// where it is and which scope to ask tokens for; /_sandbox/faults can slow it,
// throttle it the Cost Management way, empty it or break it; and its bill
// names the node resource groups ARM reports for the clusters.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "@azure/identity";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { CostManagementClient, type QueryDefinition } from "@azure/arm-costmanagement";
import type { RestError } from "@azure/core-rest-pipeline";
import { httpsJson, readEndpoints } from "../test-support/sandbox-client";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");
const subscriptionId = (endpoints.subscriptionIds as string[])[0]!;
const credential = new ClientSecretCredential(endpoints.tenantId, endpoints.clientId, endpoints.clientSecret, {
  authorityHost: `https://localhost:${endpoints.port}`,
  disableInstanceDiscovery: true,
  tlsOptions: { ca },
});

function costClient(maxRetries?: number): { client: CostManagementClient; requests: () => number } {
  const client = new CostManagementClient(credential, {
    endpoint: endpoints.costEndpoint as string,
    credentialScopes: [endpoints.costScope as string],
    tlsOptions: { ca },
    retryOptions: { maxRetries },
  });
  let count = 0;
  client.pipeline.addPolicy({ name: "countRequests", sendRequest: (request, next) => ((count += 1), next(request)) });
  return { client, requests: () => count };
}

const lastMonth: QueryDefinition = {
  type: "ActualCost",
  timeframe: "TheLastMonth",
  dataset: { granularity: "None", aggregation: { totalCost: { name: "Cost", function: "Sum" } }, grouping: [{ type: "Dimension", name: "ResourceGroupName" }] },
};

const setFaults = (rules: unknown[]) => httpsJson(endpoints.faultsEndpoint as string, { ca, method: "PUT", body: { rules } });

afterEach(async () => {
  await httpsJson(endpoints.faultsEndpoint as string, { ca, method: "DELETE", body: {} });
});

describe("Cost Management through the sandbox server", () => {
  it("bills each cluster's node resource group as ARM names it, in the currency endpoints.json gives", async () => {
    const arm = new ContainerServiceClient(credential, subscriptionId, { endpoint: endpoints.armEndpoint as string, tlsOptions: { ca } });
    const nodeGroups: string[] = [];
    for await (const cluster of arm.managedClusters.list()) nodeGroups.push(cluster.nodeResourceGroup!.toLowerCase());
    const result = await costClient().client.query.usage(`subscriptions/${subscriptionId}`, lastMonth);
    const billed = result.rows!.map((row) => row[1]);
    expect(billed).toEqual(expect.arrayContaining(nodeGroups));
    expect(new Set(result.rows!.map((row) => row[2]))).toEqual(new Set([endpoints.costCurrency]));
    expect(endpoints.costPageSize).toBeGreaterThan(0);
  });

  it("throttles with a 429 carrying only the QPU retry header, which the SDK throws after one request", async () => {
    await setFaults([{ api: "cost", errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 }]);
    const { client, requests } = costClient();
    let error: RestError | undefined;
    await client.query.usage(`subscriptions/${subscriptionId}`, lastMonth).catch((e: RestError) => (error = e));
    expect(error?.statusCode).toBe(429);
    const headers = error!.response!.headers.toJSON();
    expect(headers["x-ms-ratelimit-microsoft.costmanagement-qpu-retry-after"]).toBe("7");
    expect(headers["retry-after"]).toBeUndefined();
    expect(requests()).toBe(1);
  });

  it("answers 204 or 500 when told to, and adds latency", async () => {
    await setFaults([{ api: "cost", errorRate: 1, errorStatus: 204, latencyMs: 300 }]);
    // No retries: the pipeline would retry the 500 three times with back-off.
    const { client } = costClient(0);
    const started = performance.now();
    expect((await client.query.usage(`subscriptions/${subscriptionId}`, lastMonth)).rows).toBeUndefined();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    await setFaults([{ api: "cost", errorRate: 1, errorStatus: 500 }]);
    const failed = await client.query.usage(`subscriptions/${subscriptionId}`, lastMonth).catch((e: RestError) => e);
    expect((failed as RestError).statusCode).toBe(500);
  });

  it("refuses a 204 fault for any API but cost", async () => {
    const refused = await setFaults([{ api: "arm", errorRate: 1, errorStatus: 204 }]);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toMatch(/only for api cost/);
  });
});
