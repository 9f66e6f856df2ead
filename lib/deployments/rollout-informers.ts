// One informer per cluster in this process, shared by every rollout it
// follows: Deployments, ReplicaSets and Pods Wharf manages (by label), and
// the Events about them. Events carry no labels (the recorder never copies
// the object's), and a field selector matches one involved kind only, so
// Events are watched without a selector, and only those about a Deployment,
// ReplicaSet or Pod in a namespace Wharf provisioned (labelled, watched too,
// listed first) are kept: on a large shared cluster the others would be most
// of the memory.
import { ClusterInformer, type InformedKind, type InformedObject } from "@/lib/kubernetes/informer";
import { clusterKubeConfig, forgetClusterCredentials, type ClusterRecord } from "@/lib/kubernetes/cluster-access";
import { labelKeys } from "./render";

export const managedSelector = `${labelKeys.managedBy}=wharf`;

const eventKinds = new Set(["Deployment", "ReplicaSet", "Pod"]);

export const rolloutKinds: InformedKind[] = [
  { apiVersion: "v1", kind: "Namespace", labelSelector: managedSelector },
  { apiVersion: "apps/v1", kind: "Deployment", labelSelector: managedSelector },
  { apiVersion: "apps/v1", kind: "ReplicaSet", labelSelector: managedSelector },
  { apiVersion: "v1", kind: "Pod", labelSelector: managedSelector },
  {
    apiVersion: "v1",
    kind: "Event",
    after: "Namespace",
    keep: (event: InformedObject, informer) =>
      eventKinds.has(String((event.involvedObject as { kind?: string } | undefined)?.kind ?? "")) &&
      informer.get("Namespace", "", event.metadata?.namespace ?? "") !== undefined,
  },
];

const state = globalThis as typeof globalThis & { wharfRolloutInformers?: Map<string, ClusterInformer> };

function informers(): Map<string, ClusterInformer> {
  return (state.wharfRolloutInformers ??= new Map());
}

/** The cluster's shared informer, started on first use. */
export function rolloutInformer(cluster: ClusterRecord): ClusterInformer {
  const existing = informers().get(cluster.id);
  if (existing && !existing.stopped) return existing;
  const informer = new ClusterInformer({
    name: cluster.name,
    kubeConfig: () => clusterKubeConfig(cluster),
    onUnauthorized: () => forgetClusterCredentials(cluster),
    kinds: rolloutKinds,
  }).start();
  informers().set(cluster.id, informer);
  return informer;
}

/** Stops every informer of this process (tests, shutdown). */
export function stopRolloutInformers(): void {
  for (const informer of informers().values()) informer.stop();
  informers().clear();
}
