// The garbage collector's part the sandbox needs: ReplicaSets whose
// Deployment is gone, and pods whose ReplicaSet is gone, are deleted
// (background propagation). The API server's delete already does this for
// deletes it serves; this catches owners removed any other way (the store
// directly, a namespace finalizer, a restart between the two).
import type { ControllerContext } from "./context";
import { deployments, pods, replicaSets } from "./types";

function ownerUid(object: { metadata: { ownerReferences?: { kind: string; uid: string }[] } }, kind: string): string | undefined {
  return object.metadata.ownerReferences?.find((reference) => reference.kind === kind)?.uid;
}

export function collectOrphans(ctx: ControllerContext, namespace: string): void {
  const { store } = ctx;
  const deploymentUids = new Set(store.view(deployments, namespace).map((item) => item.metadata.uid));
  for (const rs of store.view(replicaSets, namespace)) {
    const owner = ownerUid(rs, "Deployment");
    if (owner && !deploymentUids.has(owner)) store.remove(replicaSets, namespace, rs.metadata.name ?? "");
  }
  const replicaSetUids = new Set(store.view(replicaSets, namespace).map((item) => item.metadata.uid));
  for (const pod of store.view(pods, namespace)) {
    const owner = ownerUid(pod, "ReplicaSet");
    if (owner && !replicaSetUids.has(owner)) store.remove(pods, namespace, pod.metadata.name ?? "");
  }
}
