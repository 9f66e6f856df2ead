// The nodes and AKS's own pods a sandbox cluster runs, read as Wharf reads
// them: through @kubernetes/client-node's CoreV1Api against the HTTPS API
// stand-in. The node count is the one the sandbox bill charges for the day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CoreV1Api } from "@kubernetes/client-node";
import { findCluster } from "../clusters";
import { nodeCount, nodePools, scaleSetName } from "../node-pools";
import { startTestApiServer, type TestApiServer } from "./test-harness";
import { systemPods, syncSystemObjects } from "./system-objects";
import { findResource, type ResourceType } from "./resources";

let server: TestApiServer;

beforeAll(async () => {
  server = await startTestApiServer({ controller: { speed: 20 } });
});
afterAll(async () => {
  await server.close();
});

describe("the sandbox cluster's nodes and system pods", () => {
  it("serves the day's nodes of each pool, with allocatable CPU and memory, to client-node", async () => {
    const cluster = findCluster("aks-prod-weu")!;
    const [pool] = nodePools(cluster);
    const api = server.kubeConfig({ cluster: "aks-prod-weu" }).makeApiClient(CoreV1Api);
    const list = await api.listNode();
    expect(list.items).toHaveLength(nodeCount(cluster.name, pool!, new Date(), cluster.environment));
    for (const node of list.items) {
      expect(node.metadata?.name).toMatch(new RegExp(`^${scaleSetName(cluster, pool!)}\\d{6}$`));
      expect(node.metadata?.labels?.["kubernetes.azure.com/agentpool"]).toBe("system");
      expect(node.status?.allocatable).toMatchObject({ cpu: "3860m", memory: "13807636Ki" });
      expect(node.status?.conditions?.find((condition) => condition.type === "Ready")?.status).toBe("True");
    }
  });

  it("runs kube-system's add-on pods with requests, per node for daemon sets", async () => {
    const api = server.kubeConfig().makeApiClient(CoreV1Api);
    const nodes = (await api.listNode()).items.map((node) => node.metadata!.name!);
    const pods = (await api.listNamespacedPod({ namespace: "kube-system" })).items;
    expect(pods.map((pod) => pod.metadata!.name).sort()).toEqual(
      systemPods(nodes)
        .map((pod) => pod.name)
        .sort(),
    );
    expect(pods.filter((pod) => pod.metadata?.name?.startsWith("cilium-"))).toHaveLength(nodes.length);
    for (const pod of pods) {
      expect(nodes).toContain(pod.spec?.nodeName);
      for (const container of pod.spec!.containers)
        expect(container.resources?.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  it("follows the day's node count: a day with fewer nodes removes the extra nodes and their pods", () => {
    const cluster = findCluster("aks-prod-weu")!;
    const [pool] = nodePools(cluster);
    const store = server.api.store(cluster.name);
    const operations = server.api.operations(cluster.name);
    const nodes = findResource("", "v1", "nodes") as ResourceType;
    const arm = { nodeResourceGroup: "MC_rg_aks-prod-weu_westeurope", subscriptionId: "s" };
    // A prod weekday can run more nodes than a weekend day; find two days with different counts.
    const days = Array.from({ length: 28 }, (_, i) => new Date(Date.UTC(2026, 10, 1 + i)));
    const counts = days.map((day) => nodeCount(cluster.name, pool!, day, cluster.environment));
    const high = days[counts.indexOf(Math.max(...counts))]!;
    const low = days[counts.indexOf(Math.min(...counts))]!;
    expect(Math.max(...counts)).toBeGreaterThan(Math.min(...counts));
    syncSystemObjects(operations, store, cluster, arm, high);
    expect(store.view(nodes)).toHaveLength(Math.max(...counts));
    syncSystemObjects(operations, store, cluster, arm, low);
    expect(store.view(nodes)).toHaveLength(Math.min(...counts));
    const names = store.view(nodes).map((node) => node.metadata.name);
    const pods = store.view(findResource("", "v1", "pods") as ResourceType, "kube-system");
    expect(pods.every((pod) => names.includes((pod.spec as { nodeName: string }).nodeName))).toBe(true);
  });
});
