// Rollouts against a real ClusterStore: a new Deployment becoming Available,
// a template change bounded by maxSurge/maxUnavailable at every write,
// scaling, and cascading deletion.
import { afterEach, describe, expect, it } from "vitest";
import { isPlainObject, type KubeObject } from "../objects";
import { condition, containerStatus, deploymentBody, eventsFor, ownedBy, startTestCluster, status, types, type TestCluster } from "./test-support";

let cluster: TestCluster;
afterEach(() => cluster.close());

function replicaSetsOf(name: string): KubeObject[] {
  return ownedBy(cluster.store.list(types.replicaSets, cluster.namespace), cluster.deployment(name));
}

function podsOf(name: string): KubeObject[] {
  const owners = replicaSetsOf(name).map((rs) => rs.metadata.uid);
  return cluster.store.list(types.pods, cluster.namespace).filter((pod) => owners.includes(pod.metadata.ownerReferences?.[0]?.uid));
}

function isReady(pod: KubeObject): boolean {
  return condition(pod, "Ready")?.status === "True";
}

function rolledOut(name: string, generation: number, replicas: number): KubeObject | undefined {
  const deployment = cluster.deployment(name);
  const current = status(deployment);
  const done =
    current.observedGeneration === generation &&
    current.updatedReplicas === replicas &&
    current.availableReplicas === replicas &&
    current.replicas === replicas;
  return done && condition(deployment, "Progressing")?.reason === "NewReplicaSetAvailable" ? deployment : undefined;
}

describe("a new Deployment", () => {
  it("creates a ReplicaSet and pods and reaches Available with Kubernetes' status", async () => {
    cluster = startTestCluster({ speed: 50 });
    const reasons = new Set<string>();
    cluster.store.subscribe((event) => {
      const progressing = event.resource.kind === "Deployment" ? condition(event.object, "Progressing") : undefined;
      if (progressing) reasons.add(String(progressing.reason));
    });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 3 }));
    const deployment = await cluster.until(() => rolledOut("web", 1, 3));

    expect(status(deployment)).toMatchObject({ observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3 });
    expect(status(deployment).unavailableReplicas).toBeUndefined();
    expect(condition(deployment, "Available")).toMatchObject({
      status: "True",
      reason: "MinimumReplicasAvailable",
      message: "Deployment has minimum availability.",
    });
    expect([...reasons]).toEqual(expect.arrayContaining(["NewReplicaSetCreated", "NewReplicaSetAvailable"]));
    expect(deployment.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");

    const [rs] = replicaSetsOf("web");
    const hash = rs?.metadata.labels?.["pod-template-hash"] ?? "";
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    expect(rs?.metadata.name).toBe(`web-${hash}`);
    expect(rs?.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("1");
    expect(rs?.metadata.ownerReferences?.[0]).toMatchObject({ kind: "Deployment", name: "web", uid: deployment.metadata.uid, controller: true });
    expect(rs?.spec).toMatchObject({
      replicas: 3,
      selector: { matchLabels: { app: "web", "pod-template-hash": hash } },
      template: { metadata: { labels: { "pod-template-hash": hash } } },
    });
    expect(condition(deployment, "Progressing")?.message).toBe(`ReplicaSet "web-${hash}" has successfully progressed.`);

    const pods = podsOf("web");
    expect(pods).toHaveLength(3);
    for (const pod of pods) {
      expect(pod.metadata.name).toMatch(new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(pod.metadata.labels).toMatchObject({ app: "web", "pod-template-hash": hash });
      expect(isPlainObject(pod.spec) && pod.spec.nodeName).toMatch(/^aks-system-\d{8}-vmss00000\d$/);
      expect(status(pod).phase).toBe("Running");
      const conditions = (status(pod).conditions as { type: string; status: string }[]).map((item) => `${item.type}=${item.status}`);
      expect(conditions).toEqual(expect.arrayContaining(["PodScheduled=True", "Initialized=True", "ContainersReady=True", "Ready=True"]));
      expect(containerStatus(pod)).toMatchObject({ name: "web", ready: true, started: true, restartCount: 0, state: { running: {} } });
    }
    const scaling = eventsFor(cluster, "web").find((event) => event.reason === "ScalingReplicaSet");
    expect(scaling).toMatchObject({
      type: "Normal",
      message: `Scaled up replica set web-${hash} from 0 to 3`,
      source: { component: "deployment-controller" },
      count: 1,
    });
    expect(eventsFor(cluster, `web-${hash}`).filter((event) => event.reason === "SuccessfulCreate")).toHaveLength(3);
  });

  it("reports MinimumReplicasUnavailable while its pods start", async () => {
    cluster = startTestCluster({ speed: 2 });
    cluster.create(types.deployments, deploymentBody("slow", { replicas: 2 }));
    const deployment = await cluster.until(() => (condition(cluster.deployment("slow"), "Available") ? cluster.deployment("slow") : undefined));
    expect(condition(deployment, "Available")).toMatchObject({
      status: "False",
      reason: "MinimumReplicasUnavailable",
      message: "Deployment does not have minimum availability.",
    });
    expect(status(deployment).unavailableReplicas).toBe(2);
  });
});

describe("a template change", () => {
  it.each([
    { strategy: undefined, replicas: 4, maxTotal: 5, minReady: 3 },
    { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 2, maxUnavailable: 0 } }, replicas: 4, maxTotal: 6, minReady: 4 },
    { strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: "50%" } }, replicas: 4, maxTotal: 4, minReady: 2 },
  ])("rolls out within maxSurge and maxUnavailable ($strategy)", async ({ strategy, replicas, maxTotal, minReady }) => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas, strategy }));
    await cluster.until(() => rolledOut("web", 1, replicas));

    const breaches: string[] = [];
    let writes = 0;
    cluster.store.subscribe(() => {
      writes += 1;
      const planned = replicaSetsOf("web").reduce((sum, rs) => sum + (isPlainObject(rs.spec) ? Number(rs.spec.replicas) : 0), 0);
      const live = podsOf("web").filter((pod) => !pod.metadata.deletionTimestamp);
      const ready = live.filter(isReady).length;
      if (planned > maxTotal) breaches.push(`ReplicaSets ask for ${planned} pods`);
      if (live.length > maxTotal) breaches.push(`${live.length} pods exist`);
      if (ready < minReady) breaches.push(`only ${ready} pods ready`);
    });
    cluster.patch(types.deployments, "web", { spec: { template: { spec: { containers: [{ name: "web", image: "contoso.azurecr.io/web:2.0.0" }] } } } });
    const deployment = await cluster.until(() => rolledOut("web", 2, replicas));

    expect(writes).toBeGreaterThan(20);
    expect(breaches).toEqual([]);
    expect(deployment.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("2");
    const sets = replicaSetsOf("web");
    expect(sets).toHaveLength(2);
    const next = sets.find((rs) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"] === "2");
    const old = sets.find((rs) => rs.metadata.annotations?.["deployment.kubernetes.io/revision"] === "1");
    expect(isPlainObject(old?.spec) && old.spec.replicas).toBe(0);
    expect(isPlainObject(next?.spec) && next.spec.replicas).toBe(replicas);
    await cluster.until(() => podsOf("web").length === replicas);
    expect(podsOf("web").every((pod) => pod.metadata.labels?.["pod-template-hash"] === next?.metadata.labels?.["pod-template-hash"])).toBe(true);
    const messages = eventsFor(cluster, "web").map((event) => String(event.message));
    expect(messages).toContainEqual(expect.stringMatching(new RegExp(`^Scaled down replica set ${old?.metadata.name ?? ""} from \\d+ to 0$`)));
  });

  it("rolls back to an earlier template by reusing its ReplicaSet with the next revision", async () => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 2 }));
    await cluster.until(() => rolledOut("web", 1, 2));
    const first = replicaSetsOf("web")[0];
    cluster.patch(types.deployments, "web", { spec: { template: { spec: { containers: [{ name: "web", image: "contoso.azurecr.io/web:2.0.0" }] } } } });
    await cluster.until(() => rolledOut("web", 2, 2));
    cluster.patch(types.deployments, "web", { spec: { template: { spec: { containers: [{ name: "web", image: "contoso.azurecr.io/web:1.0.0" }] } } } });
    const deployment = await cluster.until(() => rolledOut("web", 3, 2));
    const reused = cluster.store.get(types.replicaSets, cluster.namespace, first?.metadata.name ?? "");
    expect(reused?.metadata.uid).toBe(first?.metadata.uid);
    expect(reused?.metadata.annotations).toMatchObject({ "deployment.kubernetes.io/revision": "3", "deployment.kubernetes.io/revision-history": "1" });
    expect(deployment.metadata.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
  });
});

describe("scaling and deletion", () => {
  it("scales down: pods terminate and the counts follow", async () => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 3 }));
    await cluster.until(() => rolledOut("web", 1, 3));
    cluster.patch(types.deployments, "web", { spec: { replicas: 1 } });
    const deployment = await cluster.until(() => rolledOut("web", 2, 1));
    await cluster.until(() => podsOf("web").length === 1);
    const [rs] = replicaSetsOf("web");
    expect(replicaSetsOf("web")).toHaveLength(1);
    expect(status(rs)).toMatchObject({ replicas: 1, readyReplicas: 1, availableReplicas: 1 });
    expect(status(deployment)).toMatchObject({ replicas: 1, updatedReplicas: 1, availableReplicas: 1 });
    const messages = eventsFor(cluster, "web").map((event) => event.message);
    expect(messages).toContain(`Scaled down replica set ${rs?.metadata.name ?? ""} from 3 to 1`);
    expect(eventsFor(cluster, rs?.metadata.name ?? "").filter((event) => event.reason === "SuccessfulDelete")).toHaveLength(2);
  });

  it("scales up at once, not bounded by maxSurge", async () => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 1 }));
    await cluster.until(() => rolledOut("web", 1, 1));
    cluster.patch(types.deployments, "web", { spec: { replicas: 5 } });
    await cluster.until(() => rolledOut("web", 2, 5));
    expect(replicaSetsOf("web")).toHaveLength(1);
  });

  it.each(["through the API", "from the store (garbage collector)"])("deleting a Deployment %s deletes its ReplicaSets and pods", async (how) => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 2 }));
    await cluster.until(() => rolledOut("web", 1, 2));
    cluster.patch(types.deployments, "web", { spec: { template: { spec: { containers: [{ name: "web", image: "contoso.azurecr.io/web:2.0.0" }] } } } });
    await cluster.until(() => rolledOut("web", 2, 2));
    expect(cluster.store.list(types.replicaSets, cluster.namespace)).toHaveLength(2);
    if (how === "through the API") cluster.operations.delete(types.deployments, cluster.namespace, "web");
    else cluster.store.remove(types.deployments, cluster.namespace, "web");
    await cluster.until(
      () => cluster.store.list(types.replicaSets, cluster.namespace).length === 0 && cluster.store.list(types.pods, cluster.namespace).length === 0,
    );
    await cluster.controller.settle();
    expect(cluster.store.list(types.pods, cluster.namespace)).toEqual([]);
  });
});
