// Reads what runs in the sandbox's clusters straight from their in-process
// stores (no HTTP, no copies: the store's own objects, read only), per
// workspace: the clusters whose environment's component writes to it.
import type { ClusterStore } from "../../kubernetes/store";
import { findResource, type ResourceType } from "../../kubernetes/resources";
import { clustersOfWorkspace, type SandboxWorkspace } from "../../workspaces";
import type { WorkspaceTelemetry } from "./source";
import { workloadsOf } from "./workloads";

const deployments = findResource("apps", "v1", "deployments") as ResourceType;
const replicaSets = findResource("apps", "v1", "replicasets") as ResourceType;
const pods = findResource("", "v1", "pods") as ResourceType;

/** The sandbox's cluster stores by name (KubernetesApi.store). */
export type StoreOf = (cluster: string) => ClusterStore;

/**
 * The last answer per workspace, with the stores and change marks it was read
 * at: reading 2,000 Deployments and their pods was half a second of every
 * query. Same stores and same marks mean the same objects, so the same
 * workloads (the same array, so its fingerprint is computed once too).
 */
const lastRead = new WeakMap<SandboxWorkspace, { stores: ClusterStore[]; marks: string; telemetry: WorkspaceTelemetry }>();

export function workspaceTelemetry(storeOf: StoreOf, workspace: SandboxWorkspace): WorkspaceTelemetry {
  const clusters = clustersOfWorkspace(workspace);
  const stores = clusters.map((cluster) => storeOf(cluster.name));
  const marks = stores.map((store) => [deployments, replicaSets, pods].map((type) => store.changeMark(type)).join("/")).join("|");
  const last = lastRead.get(workspace);
  if (last && last.marks === marks && last.stores.every((store, i) => store === stores[i])) return last.telemetry;
  const workloads = clusters.flatMap((cluster, i) => {
    const store = stores[i]!;
    return workloadsOf({ cluster, deployments: store.view(deployments), replicaSets: store.view(replicaSets), pods: store.view(pods) });
  });
  const telemetry = { workspace, workloads };
  lastRead.set(workspace, { stores, marks, telemetry });
  return telemetry;
}
