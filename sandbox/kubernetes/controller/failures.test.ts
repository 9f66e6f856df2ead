// Failing rollouts as Wharf must recognise them: ImagePullBackOff for an
// unknown registry or tag `bad`, CrashLoopBackOff for tag `crash`, and
// ProgressDeadlineExceeded when a rollout stops moving.
import { afterEach, describe, expect, it } from "vitest";
import { isPlainObject, type KubeObject } from "../objects";
import { condition, containerStatus, deploymentBody, eventsFor, startTestCluster, status, types, type TestCluster } from "./test-support";

let cluster: TestCluster;
afterEach(() => cluster.close());

function onlyPod(): KubeObject | undefined {
  const pods = cluster.store.list(types.pods, cluster.namespace);
  return pods.length === 1 ? pods[0] : undefined;
}

function waitingReason(pod: KubeObject | undefined): unknown {
  const state = pod && containerStatus(pod)?.state;
  return isPlainObject(state) && isPlainObject(state.waiting) ? state.waiting.reason : undefined;
}

function summary(events: KubeObject[]): string[] {
  return events.map((event) => `${String(event.type)} ${String(event.reason)}: ${String(event.message)}`);
}

describe("ImagePullBackOff", () => {
  it.each([
    { image: "docker.io/library/nginx:1.27", why: "a registry the cluster does not know" },
    { image: "contoso.azurecr.io/web:bad", why: "the tag bad" },
  ])("$why: the pod waits in ImagePullBackOff with the kubelet's events", async ({ image }) => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 1, image }));
    const pod = await cluster.until(() => (waitingReason(onlyPod()) === "ImagePullBackOff" ? onlyPod() : undefined));

    expect(status(pod).phase).toBe("Pending");
    expect(condition(pod, "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [web]" });
    expect(containerStatus(pod as KubeObject)).toMatchObject({ ready: false, started: false, restartCount: 0, image, imageID: "" });
    const events = eventsFor(cluster, pod?.metadata.name ?? "");
    expect(summary(events)).toEqual(
      expect.arrayContaining([
        `Normal Pulling: Pulling image "${image}"`,
        expect.stringMatching(
          new RegExp(`^Warning Failed: Failed to pull image "${image}": rpc error: code = NotFound desc = failed to pull and unpack image`),
        ),
        "Warning Failed: Error: ErrImagePull",
        `Normal BackOff: Back-off pulling image "${image}"`,
        "Warning Failed: Error: ImagePullBackOff",
      ]),
    );
    const pulling = events.find((event) => event.reason === "Pulling");
    expect(pulling).toMatchObject({
      kind: "Event",
      apiVersion: "v1",
      involvedObject: { kind: "Pod", name: pod?.metadata.name, namespace: "team-a", uid: pod?.metadata.uid, fieldPath: "spec.containers{web}" },
      source: { component: "kubelet", host: isPlainObject(pod?.spec) ? pod.spec.nodeName : "" },
      count: 1,
    });
    expect(pulling?.firstTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(pulling?.metadata.name).toMatch(new RegExp(`^${pod?.metadata.name ?? ""}\\.[0-9a-f]+$`));

    const deployment = cluster.deployment("web");
    expect(status(deployment)).toMatchObject({ replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 });
    expect(status(deployment).availableReplicas).toBeUndefined();
    expect(condition(deployment, "Available")).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
  });

  it("retries the pull with back-off, counting repeated events", async () => {
    cluster = startTestCluster({ speed: 200 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 1, image: "contoso.azurecr.io/web:bad" }));
    const pulling = await cluster.until(() => {
      const event = eventsFor(cluster, onlyPod()?.metadata.name ?? "").find((item) => item.reason === "Pulling");
      return event && Number(event.count) >= 2 ? event : undefined;
    });
    expect(pulling.lastTimestamp).toBeDefined();
    expect(eventsFor(cluster, onlyPod()?.metadata.name ?? "").filter((item) => item.reason === "Pulling")).toHaveLength(1);
  });
});

describe("CrashLoopBackOff", () => {
  it("restarts the container with a growing restartCount and back-off", async () => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 1, image: "contoso.azurecr.io/web:crash" }));
    const seen: number[] = [];
    const pod = await cluster.until(() => {
      const current = onlyPod();
      const restarts = current && containerStatus(current)?.restartCount;
      if (typeof restarts === "number" && seen.at(-1) !== restarts) seen.push(restarts);
      return typeof restarts === "number" && restarts >= 3 && waitingReason(current) === "CrashLoopBackOff" ? current : undefined;
    });

    expect(seen).toEqual([0, 1, 2, 3]);
    expect(status(pod).phase).toBe("Running");
    expect(condition(pod, "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady" });
    const container = containerStatus(pod as KubeObject);
    expect(container).toMatchObject({ ready: false, started: false, lastState: { terminated: { exitCode: 1, reason: "Error" } } });
    expect(isPlainObject(container?.state) && isPlainObject(container.state.waiting) && container.state.waiting.message).toMatch(
      new RegExp(`^back-off (20|40)s restarting failed container=web pod=${pod?.metadata.name ?? ""}_team-a\\(${pod?.metadata.uid ?? ""}\\)$`),
    );
    const events = eventsFor(cluster, pod?.metadata.name ?? "");
    const backOff = events.find((event) => event.reason === "BackOff");
    expect(backOff).toMatchObject({
      type: "Warning",
      message: `Back-off restarting failed container web in pod ${pod?.metadata.name ?? ""}_team-a(${pod?.metadata.uid ?? ""})`,
    });
    expect(Number(backOff?.count)).toBeGreaterThanOrEqual(2);
    expect(events.find((event) => event.reason === "Started")?.count).toBe(4);
    expect(condition(cluster.deployment("web"), "Available")).toMatchObject({ status: "False" });
  });
});

describe("ProgressDeadlineExceeded", () => {
  it("marks Progressing False once progressDeadlineSeconds pass without progress", async () => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 2, image: "contoso.azurecr.io/web:bad", progressDeadlineSeconds: 5 }));
    const started = Date.now();
    const deployment = await cluster.until(() =>
      condition(cluster.deployment("web"), "Progressing")?.status === "False" ? cluster.deployment("web") : undefined,
    );
    // 5 cluster seconds at speed 50 are 100 ms; the deadline must not fire much earlier.
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    const hash = cluster.store.list(types.replicaSets, cluster.namespace)[0]?.metadata.labels?.["pod-template-hash"] ?? "";
    expect(condition(deployment, "Progressing")).toMatchObject({
      reason: "ProgressDeadlineExceeded",
      message: `ReplicaSet "web-${hash}" has timed out progressing.`,
    });
    expect(condition(deployment, "Available")).toMatchObject({ status: "False", reason: "MinimumReplicasUnavailable" });
  });

  it("a new template after the deadline rolls out and clears it", async () => {
    cluster = startTestCluster({ speed: 50 });
    cluster.create(types.deployments, deploymentBody("web", { replicas: 1, image: "contoso.azurecr.io/web:bad", progressDeadlineSeconds: 5 }));
    await cluster.until(() => condition(cluster.deployment("web"), "Progressing")?.reason === "ProgressDeadlineExceeded");
    cluster.patch(types.deployments, "web", { spec: { template: { spec: { containers: [{ name: "web", image: "contoso.azurecr.io/web:1.0.1" }] } } } });
    const deployment = await cluster.until(() =>
      condition(cluster.deployment("web"), "Progressing")?.reason === "NewReplicaSetAvailable" ? cluster.deployment("web") : undefined,
    );
    expect(status(deployment)).toMatchObject({ observedGeneration: 2, availableReplicas: 1, updatedReplicas: 1, replicas: 1 });
  });
});
