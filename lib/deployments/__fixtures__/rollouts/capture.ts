// Captures the rollout fixtures beside this file from the sandbox's own
// Kubernetes controller, so rollout-state.test.ts reads objects shaped as a
// cluster writes them (status, conditions, container states, events), not
// as a test author imagines them. Run again after the controller changes:
//
//   npx tsx lib/deployments/__fixtures__/rollouts/capture.ts
//
// Each file holds one moment of one rollout of payments-api, rendered by
// Wharf's renderer and applied with server-side apply as Wharf applies it.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { KubeObject } from "@/sandbox/kubernetes/objects";
import type { ResourceType } from "@/sandbox/kubernetes/resources";
import { namespace, startSandboxCluster, types, type SandboxCluster as Cluster } from "../sandbox-cluster";

const here = dirname(fileURLToPath(import.meta.url));

function withoutManagedFields(object: KubeObject): KubeObject {
  const { managedFields: _managedFields, ...metadata } = object.metadata;
  return { ...object, metadata };
}

function save(cluster: Cluster, name: string, description: string): void {
  const list = (resource: ResourceType) => cluster.store.list(resource, namespace).map(withoutManagedFields);
  const fixture = {
    description,
    capturedAt: new Date().toISOString(),
    deployment: withoutManagedFields(cluster.deployment()),
    replicaSets: list(types.replicaSets),
    pods: list(types.pods),
    events: list(types.events),
  };
  writeFileSync(join(here, `${name}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
  console.log(`${name}.json: ${description}`);
}

const status = (object: KubeObject): Record<string, unknown> => (object.status ?? {}) as Record<string, unknown>;
const conditionReason = (object: KubeObject, conditionType: string): unknown =>
  ((status(object).conditions ?? []) as { type: string; reason?: string }[]).find((item) => item.type === conditionType)?.reason;
const containerStatuses = (pod: KubeObject): { restartCount?: number; state?: { waiting?: { reason?: string } } }[] =>
  (status(pod).containerStatuses ?? []) as { restartCount?: number; state?: { waiting?: { reason?: string } } }[];

function complete(cluster: Cluster): boolean {
  const deployment = cluster.deployment();
  const current = status(deployment);
  return current.observedGeneration === deployment.metadata.generation && conditionReason(deployment, "Progressing") === "NewReplicaSetAvailable" && current.availableReplicas === current.replicas;
}

function somePod(cluster: Cluster, predicate: (pod: KubeObject) => boolean): boolean {
  return cluster.store.list(types.pods, namespace).some(predicate);
}

async function scenario(run: (cluster: Cluster) => Promise<void>): Promise<void> {
  const cluster = startSandboxCluster();
  try {
    await run(cluster);
  } finally {
    cluster.close();
  }
}

await scenario(async (cluster) => {
  cluster.deploy("1.4.2");
  await cluster.until(() => complete(cluster));
  save(cluster, "succeeded", "payments-api 1.4.2, 3 replicas, rolled out");
  cluster.deploy("1.4.3");
  await cluster.until(() => {
    const current = status(cluster.deployment());
    return current.observedGeneration === cluster.deployment().metadata.generation && Number(current.updatedReplicas) >= 1 && Number(current.replicas) > Number(current.updatedReplicas);
  });
  save(cluster, "rolling-update", "1.4.2 → 1.4.3 under way: new pods starting, old ones still serving");
});

await scenario(async (cluster) => {
  cluster.deploy("1.4.2");
  await cluster.until(() => complete(cluster));
  cluster.deploy("bad");
  await cluster.until(() => somePod(cluster, (pod) => containerStatuses(pod).some((item) => item.state?.waiting?.reason === "ImagePullBackOff")));
  save(cluster, "image-pull-back-off", "1.4.2 → bad: the new pod cannot pull its image; the old pods keep serving");
});

await scenario(async (cluster) => {
  cluster.deploy("1.4.2");
  await cluster.until(() => complete(cluster));
  cluster.deploy("crash");
  const crashing = (restarts: number) => (pod: KubeObject) => containerStatuses(pod).some((item) => item.state?.waiting?.reason === "CrashLoopBackOff" && (item.restartCount ?? 0) >= restarts);
  await cluster.until(() => somePod(cluster, crashing(1)));
  save(cluster, "crash-loop-first-restart", "1.4.2 → crash: the new container crashed once and waits to restart");
  await cluster.until(() => somePod(cluster, crashing(3)), 60_000);
  save(cluster, "crash-loop-back-off", "1.4.2 → crash: the new container has crashed three times");
});

await scenario(async (cluster) => {
  cluster.deploy("crash", { progressDeadlineSeconds: 20 });
  await cluster.until(() => conditionReason(cluster.deployment(), "Progressing") === "ProgressDeadlineExceeded", 60_000);
  save(cluster, "progress-deadline-exceeded", "crash with a 20 s progress deadline: the deadline passes before the third restart");
});

await scenario(async (cluster) => {
  cluster.operations.create(types.resourceQuotas, namespace, { metadata: { name: "compute" }, spec: { hard: { pods: "2" } } }, { manager: "wharf" });
  cluster.deploy("1.4.2");
  await cluster.until(() => conditionReason(cluster.deployment(), "ReplicaFailure") === "FailedCreate");
  await cluster.until(() => Number(status(cluster.deployment()).availableReplicas) === 2);
  save(cluster, "failed-create-quota", "3 replicas in a namespace whose quota allows 2 pods: the third is refused");
});
