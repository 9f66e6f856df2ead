// The namespace controller's part: a Terminating namespace loses its
// contents, then itself. Wharf's deprovisioning waits for exactly this
// sequence (Terminating, then 404), so it runs on a timer rather than at once.
import type { KubeObject } from "./objects";
import { findResource, type ResourceType } from "./resources";
import type { ClusterStore } from "./store";

const namespaces = findResource("", "v1", "namespaces") as ResourceType;

/** The namespaces a new AKS cluster has (ingress-nginx from the app routing add-on Wharf's allow-from-ingress policy expects). */
export const initialNamespaces = ["default", "kube-node-lease", "kube-public", "kube-system", "ingress-nginx"];

/** Removes everything in a Terminating namespace, then the namespace. `onRemoved` lets owners' dependents go too. */
export function finalizeNamespace(store: ClusterStore, name: string, onRemoved: (object: KubeObject) => void): void {
  const namespace = store.get(namespaces, undefined, name);
  if (!namespace?.metadata.deletionTimestamp) return;
  for (const { type, object } of store.contentsOf(name)) {
    const gone = store.remove(type, name, object.metadata.name ?? "");
    if (gone) onRemoved(gone);
  }
  store.remove(namespaces, undefined, name);
}
