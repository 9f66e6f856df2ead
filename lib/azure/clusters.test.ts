// Integration: cluster discovery through ARM and reachability through each
// cluster's API, against the sandbox, with one cluster and one subscription failing.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, type WharfConfig } from "@/lib/config";
import { clusterUserKubeconfig, discoverClusters } from "@/lib/azure/clusters";
import { probeCluster } from "@/lib/kubernetes/probe";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";

let config: WharfConfig;
const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });

beforeAll(() => {
  config = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE, WHARF_DATA_DIR: mkdtempSync(join(tmpdir(), "wharf-azure-")) });
});

afterEach(async () => {
  await faults({}, "DELETE");
});

describe("AKS clusters", () => {
  it("discovers the sandbox's clusters through ARM, in Wharf's own shape", async () => {
    const { clusters, failures } = await discoverClusters(config);
    expect(failures).toEqual([]);
    expect(clusters.map((cluster) => cluster.name)).toEqual(["aks-dev-weu", "aks-lab-neu", "aks-prod-weu"]);
    expect(clusters[0]).toMatchObject({
      subscriptionId: config.azure.subscriptionIds[0],
      resourceGroup: "rg-wharf-sandbox",
      location: "westeurope",
      powerState: "Running",
    });
    expect(clusters[0]!.kubernetesVersion).toMatch(/^1\.\d+\.\d+$/);
    // ARM's nodeResourceGroup, as AKS names it by default and as --node-resource-group set it for aks-lab-neu.
    expect(clusters.map((cluster) => cluster.nodeResourceGroup)).toEqual([
      "MC_rg-wharf-sandbox_aks-dev-weu_westeurope",
      "rg-aks-lab-neu-nodes",
      "MC_rg-wharf-sandbox_aks-prod-weu_westeurope",
    ]);
  });

  it("reaches a cluster with the kubeconfig ARM hands out, and reports one made unreachable on its own", async () => {
    const { clusters } = await discoverClusters(config);
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-lab-neu", unreachable: true }] });
    const probes = await Promise.all(
      clusters.map(async (cluster) => [cluster.name, await probeCluster(await clusterUserKubeconfig(config, cluster), 3_000)] as const),
    );
    const byName = Object.fromEntries(probes);
    expect(byName["aks-dev-weu"]).toMatchObject({ reachable: true, version: expect.stringMatching(/^v1\./) });
    expect(byName["aks-prod-weu"]).toMatchObject({ reachable: true });
    expect(byName["aks-lab-neu"]).toMatchObject({
      reachable: false,
      error: expect.stringMatching(/^the API server dropped the connection \((ECONNRESET|UND_ERR_SOCKET)\)$/),
    });
  });

  it("reports a subscription that ARM refuses, with the ARM code, and still lists the others", async () => {
    const withUnknown = { ...config, azure: { ...config.azure, subscriptionIds: [...config.azure.subscriptionIds, "00000000-0000-4000-8000-000000000000"] } };
    const { clusters, failures } = await discoverClusters(withUnknown);
    expect(clusters).toHaveLength(3);
    expect(failures).toEqual([{ subscriptionId: "00000000-0000-4000-8000-000000000000", message: expect.stringContaining("SubscriptionNotFound") }]);
  });

  it("says when a cluster refuses the credentials or does not answer", async () => {
    const [dev] = (await discoverClusters(config)).clusters;
    const kubeconfig = await clusterUserKubeconfig(config, dev!);
    const forged = kubeconfig.replace(/token: .+/, "token: not-the-clusters-token");
    expect(await probeCluster(forged)).toEqual({ reachable: false, error: "the cluster refused Wharf's credentials (HTTP 401)" });
    await faults({ rules: [{ api: "kubernetes", cluster: dev!.name, latencyMs: 2_000 }] });
    expect(await probeCluster(kubeconfig, 300)).toEqual({ reachable: false, error: "no answer within 0.3 s" });
  });
});
