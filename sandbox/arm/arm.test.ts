import { ContainerServiceClient } from "@azure/arm-containerservice";
import type { RestError } from "@azure/core-rest-pipeline";
import { ClientSecretCredential } from "@azure/identity";
import { KubeConfig } from "@kubernetes/client-node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { clusterServerUrl, clusterTokens, sandboxClusters, sandboxResourceGroup, sandboxSubscriptionId } from "../clusters";
import { sandboxClientId } from "../identity";
import { sandboxTenantId } from "../personas";
import { httpsJson } from "../test-support/sandbox-client";
import { armScope } from "./authenticate";
import { startArmTestSandbox, type ArmTestSandbox } from "./test-sandbox";

let sandbox: ArmTestSandbox;
let credential: ClientSecretCredential;
let client: ContainerServiceClient;
let armToken: string;

const otherSubscription = "00000000-0000-4000-8000-000000000000";

const clusterPath = (name: string, rg = sandboxResourceGroup) =>
  `/subscriptions/${sandboxSubscriptionId}/resourceGroups/${rg}/providers/Microsoft.ContainerService/managedClusters/${name}`;

// How Wharf (and any tool) reaches the sandbox: the real credential and client,
// pointed at its origin, trusting its CA through the pipeline's tlsOptions.
function sandboxCredential(origin: string, ca: string, secret: string): ClientSecretCredential {
  return new ClientSecretCredential(sandboxTenantId, sandboxClientId, secret, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  });
}

async function restError(promise: Promise<unknown>): Promise<RestError> {
  try {
    await promise;
  } catch (error) {
    return error as RestError;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  sandbox = await startArmTestSandbox();
  credential = sandboxCredential(sandbox.origin, sandbox.caPem, sandbox.clientSecret);
  client = new ContainerServiceClient(credential, sandboxSubscriptionId, { endpoint: sandbox.origin, tlsOptions: { ca: sandbox.caPem } });
  const token = await credential.getToken(armScope);
  armToken = token.token;
  const stored = await sandbox.identity.provider.ClientCredentials.find(armToken);
  if (!stored?.scope?.split(" ").includes(armScope)) {
    throw new Error(
      `the sandbox provider dropped the ARM scope (token scope: '${stored?.scope ?? ""}'): add "${armScope}" to \`scopes\` in sandbox/identity.ts`,
    );
  }
});

afterAll(async () => {
  await sandbox?.close();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("sandbox ARM through @azure/arm-containerservice", () => {
  it("lists every sandbox cluster in the subscription, shaped like AKS", async () => {
    const clusters = [];
    for await (const cluster of client.managedClusters.list()) clusters.push(cluster);
    expect(clusters.map((c) => c.name)).toEqual(sandboxClusters.map((c) => c.name));
    const dev = clusters.find((c) => c.name === "aks-dev-weu");
    expect(dev).toMatchObject({
      id: `/subscriptions/${sandboxSubscriptionId}/resourcegroups/${sandboxResourceGroup}/providers/Microsoft.ContainerService/managedClusters/aks-dev-weu`,
      type: "Microsoft.ContainerService/ManagedClusters",
      location: "westeurope",
      tags: { "wharf.io/environment": "dev" },
      provisioningState: "Succeeded",
      powerState: { code: "Running" },
      kubernetesVersion: "1.32.4",
      currentKubernetesVersion: "1.32.4",
      dnsPrefix: "aks-dev-weu-dns",
      nodeResourceGroup: `MC_${sandboxResourceGroup}_aks-dev-weu_westeurope`,
      // The SDK renames the wire's enableAzureRBAC.
      aadProfile: { managed: true, enableAzureRbac: false, tenantID: sandboxTenantId },
      networkProfile: { networkPlugin: "azure" },
      identity: { type: "SystemAssigned", tenantId: sandboxTenantId },
      sku: { name: "Base" },
    });
    expect(dev?.fqdn).toMatch(/^aks-dev-weu-dns-[0-9a-f]{8}\.hcp\.westeurope\.azmk8s\.io$/);
    expect(dev?.agentPoolProfiles).toEqual([expect.objectContaining({ name: "system", mode: "System", osType: "Linux", count: 3 })]);
    expect(clusters.find((c) => c.name === "aks-prod-weu")?.tags).toMatchObject({ "wharf.io/environment": "prod" });
  });

  it("lists by resource group and gets one cluster", async () => {
    const inGroup = [];
    for await (const cluster of client.managedClusters.listByResourceGroup(sandboxResourceGroup)) inGroup.push(cluster.name);
    expect(inGroup).toEqual(sandboxClusters.map((c) => c.name));
    const prod = await client.managedClusters.get(sandboxResourceGroup, "aks-prod-weu");
    expect(prod).toMatchObject({ name: "aks-prod-weu", kubernetesVersion: "1.32.4", sku: { tier: "Standard" } });
  });

  it("hands out a kubeconfig for the cluster's sandbox API server, CA and token", async () => {
    const result = await client.managedClusters.listClusterUserCredentials(sandboxResourceGroup, "aks-dev-weu");
    expect(result.kubeconfigs?.map((k) => k.name)).toEqual(["clusterUser"]);
    const value = result.kubeconfigs?.[0]?.value;
    expect(value).toBeInstanceOf(Uint8Array);
    const kubeconfig = new KubeConfig();
    kubeconfig.loadFromString(Buffer.from(value ?? new Uint8Array()).toString("utf8"));
    expect(kubeconfig.getCurrentContext()).toBe("aks-dev-weu");
    expect(kubeconfig.getCurrentCluster()).toMatchObject({
      name: "aks-dev-weu",
      server: clusterServerUrl(sandbox.origin, { name: "aks-dev-weu" }),
      caData: Buffer.from(sandbox.caPem).toString("base64"),
    });
    expect(kubeconfig.getCurrentUser()).toMatchObject({
      name: `clusterUser_${sandboxResourceGroup}_aks-dev-weu`,
      token: clusterTokens(sandbox.stateDir)["aks-dev-weu"],
    });
  });

  it("answers ARM's 404 codes for an unknown subscription, resource group or cluster", async () => {
    const missing = await restError(client.managedClusters.get(sandboxResourceGroup, "aks-nowhere"));
    expect(missing).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });
    expect(missing.message).toBe(
      `The Resource 'Microsoft.ContainerService/managedClusters/aks-nowhere' under resource group '${sandboxResourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
    const credentialOfMissing = await restError(client.managedClusters.listClusterUserCredentials(sandboxResourceGroup, "aks-nowhere"));
    expect(credentialOfMissing).toMatchObject({ statusCode: 404, code: "ResourceNotFound" });

    // The pager replaces ARM's message with its own ("Pagination failed with ..."), keeping the code.
    const group = await restError(client.managedClusters.listByResourceGroup("rg-nowhere").next());
    expect(group).toMatchObject({ statusCode: 404, code: "ResourceGroupNotFound" });

    const stranger = new ContainerServiceClient(credential, otherSubscription, { endpoint: sandbox.origin, tlsOptions: { ca: sandbox.caPem } });
    const subscription = await restError(stranger.managedClusters.list().next());
    expect(subscription).toMatchObject({ statusCode: 404, code: "SubscriptionNotFound" });
  });

  it("fails the SDK call with 401 when the credential's token is not the sandbox's", async () => {
    const forged = { getToken: async () => ({ token: "forged-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };
    const impostor = new ContainerServiceClient(forged, sandboxSubscriptionId, { endpoint: sandbox.origin, tlsOptions: { ca: sandbox.caPem } });
    const error = await restError(impostor.managedClusters.get(sandboxResourceGroup, "aks-dev-weu"));
    expect(error).toMatchObject({ statusCode: 401, code: "InvalidAuthenticationToken" });
  });
});

describe("sandbox ARM on the wire", () => {
  const get = (path: string, token?: string) => httpsJson(`${sandbox.origin}${path}`, { ca: sandbox.caPem, token });

  it("refuses a request without a token, with ARM's body and challenge", async () => {
    const res = await get(`${clusterPath("aks-dev-weu")}?api-version=2025-05-01`);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: "AuthenticationFailed", message: "Authentication failed. The 'Authorization' header is missing." } });
    expect(res.headers["www-authenticate"]).toBe(
      `Bearer authorization_uri="${sandbox.origin}/${sandboxTenantId}", error="invalid_token", error_description="Authentication failed. The 'Authorization' header is missing."`,
    );
  });

  it("refuses a garbage token and a token for another audience", async () => {
    const garbage = await get(`${clusterPath("aks-dev-weu")}?api-version=2025-05-01`, "not-a-token");
    expect(garbage.status).toBe(401);
    expect(garbage.body).toEqual({ error: { code: "InvalidAuthenticationToken", message: "The access token is invalid." } });
    expect(garbage.headers["www-authenticate"]).toContain('error="invalid_token"');

    const graphToken = await credential.getToken(`${sandbox.graphEndpoint}/.default`);
    const wrongAudience = await get(`${clusterPath("aks-dev-weu")}?api-version=2025-05-01`, graphToken.token);
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.body).toMatchObject({ error: { code: "InvalidAuthenticationTokenAudience" } });
  });

  it("refuses an expired token", async () => {
    // Just past expiry, inside oidc-provider's 15 s clock tolerance, the store still knows the token.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 3_600_000 + 5_000);
    const res = await get(`${clusterPath("aks-dev-weu")}?api-version=2025-05-01`, armToken);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      error: {
        code: "ExpiredAuthenticationToken",
        message: expect.stringMatching(/^The access token expiry UTC time '.+ [AP]M' is earlier than current UTC time '.+ [AP]M'\.$/),
      },
    });
  });

  it("requires api-version, after authentication as ARM does", async () => {
    const res = await get(clusterPath("aks-dev-weu"), armToken);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: { code: "MissingApiVersionParameter", message: "The api-version query parameter (?api-version=) is required for all requests." },
    });
    expect((await get(clusterPath("aks-dev-weu"))).status).toBe(401);
    expect((await get(`${clusterPath("aks-dev-weu")}?api-version=latest`, armToken)).body).toMatchObject({ error: { code: "InvalidApiVersionParameter" } });
  });

  it("words the 404s for a missing subscription and resource group as ARM does", async () => {
    const subscription = await get(`/subscriptions/${otherSubscription}/providers/Microsoft.ContainerService/managedClusters?api-version=2025-05-01`, armToken);
    expect(subscription).toMatchObject({
      status: 404,
      body: { error: { code: "SubscriptionNotFound", message: `The subscription '${otherSubscription}' could not be found.` } },
    });
    const group = await get(
      `/subscriptions/${sandboxSubscriptionId}/resourceGroups/rg-nowhere/providers/Microsoft.ContainerService/managedClusters?api-version=2025-05-01`,
      armToken,
    );
    expect(group).toMatchObject({
      status: 404,
      body: { error: { code: "ResourceGroupNotFound", message: "Resource group 'rg-nowhere' could not be found." } },
    });
  });

  it("matches path segments and names case-insensitively, as ARM does", async () => {
    const res = await get(
      `/subscriptions/${sandboxSubscriptionId.toUpperCase()}/resourcegroups/RG-WHARF-SANDBOX/providers/microsoft.containerservice/managedclusters/AKS-DEV-WEU?api-version=2025-05-01`,
      armToken,
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "aks-dev-weu" });
    expect(res.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("says plainly which ARM calls the sandbox does not serve", async () => {
    const res = await httpsJson(`${sandbox.origin}${clusterPath("aks-dev-weu")}?api-version=2025-05-01`, {
      ca: sandbox.caPem,
      token: armToken,
      method: "DELETE",
    });
    expect(res.status).toBe(501);
    expect(res.body).toMatchObject({ error: { code: "SandboxNotImplemented", message: expect.stringContaining("DELETE") } });
  });
});
