// ARM and the Kubernetes API as the sandbox server wires them: a kubeconfig
// from listClusterUserCredential works with @kubernetes/client-node, one
// cluster made unreachable fails alone, and watches can be ended early.
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ClientSecretCredential } from "@azure/identity";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { AppsV1Api, CoreV1Api, KubeConfig, Watch } from "@kubernetes/client-node";
import { httpsJson, readEndpoints } from "./test-support/sandbox-client";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");

async function kubeconfigFor(cluster: string): Promise<KubeConfig> {
  const credential = new ClientSecretCredential(endpoints.tenantId, endpoints.clientId, endpoints.clientSecret, {
    authorityHost: `https://localhost:${endpoints.port}`,
    disableInstanceDiscovery: true,
    tlsOptions: { ca },
  });
  const client = new ContainerServiceClient(credential, (endpoints.subscriptionIds as string[])[0]!, {
    endpoint: endpoints.armEndpoint as string,
    tlsOptions: { ca },
  });
  const credentials = await client.managedClusters.listClusterUserCredentials(endpoints.resourceGroup as string, cluster);
  const config = new KubeConfig();
  config.loadFromString(Buffer.from(credentials.kubeconfigs![0]!.value!).toString("utf8"));
  return config;
}

afterEach(async () => {
  await httpsJson(endpoints.faultsEndpoint as string, { ca, method: "DELETE", body: {} });
});

describe("AKS through the sandbox server", () => {
  it("reaches each cluster's API with the kubeconfig ARM returns", async () => {
    const config = await kubeconfigFor("aks-dev-weu");
    const namespaces = await config.makeApiClient(CoreV1Api).listNamespace();
    expect(namespaces.items.map((ns) => ns.metadata?.name)).toEqual(expect.arrayContaining(["default", "kube-system", "ingress-nginx"]));
  });

  it("isolates a cluster made unreachable", async () => {
    await httpsJson(endpoints.faultsEndpoint as string, {
      ca,
      method: "PUT",
      body: { rules: [{ api: "kubernetes", cluster: "aks-lab-neu", unreachable: true }] },
    });
    const lab = (await kubeconfigFor("aks-lab-neu")).makeApiClient(CoreV1Api);
    const dev = (await kubeconfigFor("aks-dev-weu")).makeApiClient(CoreV1Api);
    await expect(lab.listNamespace()).rejects.toThrow();
    expect((await dev.listNamespace()).items.length).toBeGreaterThan(0);
  });

  it("ends watch streams early when told to, so clients must resume", async () => {
    await httpsJson(endpoints.faultsEndpoint as string, {
      ca,
      method: "PUT",
      body: { rules: [{ api: "kubernetes", cluster: "aks-dev-weu", watchEndAfterMs: 300 }] },
    });
    const config = await kubeconfigFor("aks-dev-weu");
    const started = performance.now();
    const ended = await new Promise<number>((resolve, reject) => {
      new Watch(config)
        .watch(
          "/api/v1/namespaces",
          { timeoutSeconds: 30 },
          () => {},
          (error) => (error ? reject(error) : resolve(performance.now() - started)),
        )
        .catch(reject);
    });
    expect(ended).toBeGreaterThanOrEqual(250);
    expect(ended).toBeLessThan(5_000);
  });

  it("rolls a Deployment out on a cluster, and a bad image fails with ImagePullBackOff", async () => {
    const config = await kubeconfigFor("aks-dev-weu");
    const core = config.makeApiClient(CoreV1Api);
    const apps = config.makeApiClient(AppsV1Api);
    const namespace = `rollout-${Date.now().toString(36)}`;
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    const deployment = (image: string) => ({
      metadata: { name: "web", labels: { app: "web" } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image }] } },
      },
    });
    await apps.createNamespacedDeployment({ namespace, body: deployment("contoso.azurecr.io/demo/web:1.0") });
    const until = async (check: () => Promise<boolean>) => {
      for (let i = 0; i < 200; i++) {
        if (await check()) return;
        await new Promise((done) => setTimeout(done, 50));
      }
      throw new Error("condition not reached within 10 s");
    };
    await until(async () => (await apps.readNamespacedDeployment({ name: "web", namespace })).status?.availableReplicas === 2);
    await apps.replaceNamespacedDeployment({
      name: "web",
      namespace,
      body: {
        ...deployment("contoso.azurecr.io/demo/web:bad"),
        metadata: { ...deployment("").metadata, resourceVersion: (await apps.readNamespacedDeployment({ name: "web", namespace })).metadata?.resourceVersion },
      },
    });
    await until(async () =>
      (await core.listNamespacedPod({ namespace })).items.some((pod) => pod.status?.containerStatuses?.[0]?.state?.waiting?.reason === "ImagePullBackOff"),
    );
    const status = await apps.readNamespacedDeployment({ name: "web", namespace });
    expect(status.status?.availableReplicas).toBeGreaterThanOrEqual(1);
  });
});
