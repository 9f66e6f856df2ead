// One informer per cluster in this process, shared by every rollout it
// follows: Deployments, ReplicaSets and Pods Wharf manages (by label), and
// the Events about them. Events carry no labels (the recorder never copies
// the object's), and a field selector matches one involved kind only, so
// Events are watched without a selector and only those about a Deployment,
// ReplicaSet or Pod are kept.
import { ClusterInformer, type InformedKind, type InformedObject } from "@/lib/kubernetes/informer";
import { clusterKubeConfig, forgetClusterCredentials, type ClusterRecord } from "@/lib/clusters/cluster-access";
import { labelKeys } from "./render";

export const managedSelector = `${labelKeys.managedBy}=wharf`;

const eventKinds = new Set(["Deployment", "ReplicaSet", "Pod"]);

export const rolloutKinds: InformedKind[] = [
  { apiVersion: "apps/v1", kind: "Deployment", labelSelector: managedSelector },
  { apiVersion: "apps/v1", kind: "ReplicaSet", labelSelector: managedSelector },
  { apiVersion: "v1", kind: "Pod", labelSelector: managedSelector },
  { apiVersion: "v1", kind: "Event", keep: (event: InformedObject) => eventKinds.has(String((event.involvedObject as { kind?: string } | undefined)?.kind ?? "")) },
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
