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

export function workspaceTelemetry(storeOf: StoreOf, workspace: SandboxWorkspace): WorkspaceTelemetry {
  const workloads = clustersOfWorkspace(workspace).flatMap((cluster) => {
    const store = storeOf(cluster.name);
    return workloadsOf({ cluster, deployments: store.view(deployments), replicaSets: store.view(replicaSets), pods: store.view(pods) });
  });
  return { workspace, workloads };
}
