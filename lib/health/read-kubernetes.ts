// Kubernetes signals for health from the informers the worker already holds
// (lib/deployments/rollout-informers.ts: one per cluster, watching Wharf's
// Deployments, ReplicaSets, Pods and Events). Nothing here calls a cluster: a
// cluster whose informer has not synced or is failing gives every service on
// it that cluster's error.
import { rolloutInformer } from "@/lib/deployments/rollout-informers";
import { labelKeys } from "@/lib/deployments/render";
import type { DeploymentJson, PodJson } from "@/lib/deployments/rollout-state";
import type { ClusterRecord } from "@/lib/kubernetes/cluster-access";
import { observeKubernetes, RestartHistory, type LastRollout } from "@/lib/health/kubernetes-observation";
import type { KubernetesObservation } from "@/lib/health/types";

export interface KubernetesTarget {
  cluster: ClusterRecord;
  namespace: string;
  service: string;
  lastRollout: LastRollout | null;
}

const state = globalThis as typeof globalThis & { wharfHealthRestarts?: RestartHistory };

function restartHistory(): RestartHistory {
  return (state.wharfHealthRestarts ??= new RestartHistory());
}

/**
 * Reads every target's observation. A cluster's informer is started on first
 * use and given up to `syncTimeoutMs` to list; past that the cluster counts
 * as failing this cycle (its first list error, or "not listed yet").
 */
export async function readKubernetes(
  targets: readonly KubernetesTarget[],
  options: { now: Date; windowMinutes: number; syncTimeoutMs?: number },
): Promise<KubernetesObservation[]> {
  const clusters = new Map<string, ClusterRecord>();
  for (const target of targets) clusters.set(target.cluster.id, target.cluster);
  const clusterErrors = new Map<string, string>();
  await Promise.all(
    [...clusters.values()].map(async (cluster) => {
      const informer = rolloutInformer(cluster);
      const synced = await informer.whenSynced(options.syncTimeoutMs ?? 5_000);
      if (!synced) clusterErrors.set(cluster.id, informer.lastError ?? `the cluster ${cluster.name} has not answered yet`);
      else if (informer.lastError) clusterErrors.set(cluster.id, informer.lastError);
    }),
  );
  const history = restartHistory();
  const seenPods = new Set<string>();
  // Each namespace's pods grouped by service once: a namespace holds many services, and each target reads only its own.
  const podsByNamespace = new Map<string, Map<string, PodJson[]>>();
  const podsOf = (target: KubernetesTarget): PodJson[] => {
    const key = `${target.cluster.id}/${target.namespace}`;
    let byService = podsByNamespace.get(key);
    if (!byService) {
      byService = new Map();
      for (const pod of rolloutInformer(target.cluster).objects<PodJson>("Pod", target.namespace)) {
        const service = pod.metadata?.labels?.[labelKeys.service];
        if (service === undefined) continue;
        const list = byService.get(service) ?? [];
        list.push(pod);
        byService.set(service, list);
      }
      podsByNamespace.set(key, byService);
    }
    return byService.get(target.service) ?? [];
  };
  const observations = targets.map((target): KubernetesObservation => {
    const error = clusterErrors.get(target.cluster.id);
    if (error !== undefined) return { observedAt: options.now.toISOString(), error };
    const informer = rolloutInformer(target.cluster);
    const deployment = informer.get<DeploymentJson>("Deployment", target.namespace, target.service);
    const pods = podsOf(target);
    for (const pod of pods) seenPods.add(pod.metadata?.uid ?? pod.metadata?.name ?? "");
    return observeKubernetes({ deployment, pods, lastRollout: target.lastRollout, now: options.now, windowMinutes: options.windowMinutes, restarts: history });
  });
  if (clusterErrors.size === 0) history.retain(seenPods);
  return observations;
}
