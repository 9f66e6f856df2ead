// End to end through the HTTPS API stand-in and @kubernetes/client-node, as
// Wharf's code runs: a Deployment created with AppsV1Api rolls out, watched
// until available; its pods and events are read back through the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions, Watch, type V1Deployment } from "@kubernetes/client-node";
import { startTestApiServer, type TestApiServer } from "../test-harness";
import { startController, type RunningController } from "./index";

let server: TestApiServer;
let controller: RunningController;

beforeAll(async () => {
  server = await startTestApiServer();
  controller = startController(server.api.store("aks-dev-weu"), { speed: 20 });
});
afterAll(async () => {
  controller.stop();
  await server.close();
});

function deployment(image: string): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web" } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            { name: "web", image, ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: "/healthz", port: 8080 }, initialDelaySeconds: 2 } },
          ],
        },
      },
    },
  };
}

/** Resolves with the first watched Deployment that satisfies `done`. */
async function watchUntil(namespace: string, done: (object: V1Deployment) => boolean): Promise<V1Deployment> {
  const watch = new Watch(server.kubeConfig());
  let request: AbortController | undefined;
  const result = new Promise<V1Deployment>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the rollout did not finish in time")), 15_000);
    void watch
      .watch(
        `/apis/apps/v1/namespaces/${namespace}/deployments`,
        { fieldSelector: "metadata.name=web" },
        (_type, object: V1Deployment) => {
          if (!done(object)) return;
          clearTimeout(timer);
          resolve(object);
        },
        (error) => {
          if (error) reject(error instanceof Error ? error : new Error(String(error)));
        },
      )
      .then((controllerHandle) => (request = controllerHandle));
  });
  try {
    return await result;
  } finally {
    request?.abort();
  }
}

describe("through @kubernetes/client-node", () => {
  it("rolls out a Deployment created with AppsV1Api until it is available", async () => {
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    const apps = server.kubeConfig().makeApiClient(AppsV1Api);
    await core.createNamespace({ body: { metadata: { name: "team-e2e" } } });
    await apps.createNamespacedDeployment({ namespace: "team-e2e", body: deployment("contoso.azurecr.io/web:1.4.0") });

    const available = await watchUntil("team-e2e", (object) => object.status?.availableReplicas === 2 && object.status.updatedReplicas === 2);
    expect(available.status).toMatchObject({ observedGeneration: 1, replicas: 2, readyReplicas: 2 });
    const progressing = available.status?.conditions?.find((condition) => condition.type === "Progressing");
    expect(progressing).toMatchObject({ status: "True", reason: "NewReplicaSetAvailable" });
    // Watch events arrive as raw JSON, so times are still RFC 3339 strings here.
    expect(String(progressing?.lastUpdateTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const pods = await core.listNamespacedPod({ namespace: "team-e2e", labelSelector: "app=web" });
    expect(pods.items).toHaveLength(2);
    expect(pods.items.every((pod) => pod.status?.phase === "Running" && pod.status.containerStatuses?.[0]?.ready === true)).toBe(true);
    const replicaSets = await apps.listNamespacedReplicaSet({
      namespace: "team-e2e",
      labelSelector: `pod-template-hash=${pods.items[0]?.metadata?.labels?.["pod-template-hash"] ?? ""}`,
    });
    expect(replicaSets.items).toHaveLength(1);
    const events = await core.listNamespacedEvent({ namespace: "team-e2e" });
    expect(events.items.map((event) => event.reason)).toEqual(
      expect.arrayContaining(["ScalingReplicaSet", "SuccessfulCreate", "Scheduled", "Pulling", "Started"]),
    );

    // What `kubectl set image` sends: a strategic merge patch that keeps the rest of the container.
    await apps.patchNamespacedDeployment(
      { name: "web", namespace: "team-e2e", body: { spec: { template: { spec: { containers: [{ name: "web", image: "contoso.azurecr.io/web:bad" }] } } } } },
      setHeaderOptions("Content-Type", PatchStrategy.StrategicMergePatch),
    );
    const stuck = await watchUntil(
      "team-e2e",
      (object) => object.status?.observedGeneration === 2 && object.status.updatedReplicas === 1 && object.status.unavailableReplicas === 1,
    );
    expect(stuck.status?.availableReplicas).toBe(2);
    await controller.settle();
    const failing = await core.listNamespacedPod({ namespace: "team-e2e", labelSelector: "app=web" });
    const waiting = failing.items
      .flatMap((pod) => pod.status?.containerStatuses ?? [])
      .map((status) => status.state?.waiting?.reason)
      .filter(Boolean);
    expect(waiting).toEqual(["ImagePullBackOff"]);
  });
});
