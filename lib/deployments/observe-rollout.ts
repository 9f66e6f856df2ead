// A rollout as the cluster's informer shows it: the Deployment, the
// ReplicaSets it owns, the pods its selector matches and the events in its
// namespace, in the shape `rolloutState` reads. Memory only, no requests.
import type { ClusterInformer } from "@/lib/kubernetes/informer";
import type { DeploymentJson, EventJson, PodJson, ReplicaSetJson, RolloutObservation } from "./rollout-state";

export function observeRollout(informer: ClusterInformer, namespace: string, name: string): RolloutObservation | null {
  const deployment = informer.get<DeploymentJson & { spec?: { selector?: { matchLabels?: Record<string, string> } } }>("Deployment", namespace, name);
  if (!deployment) return null;
  const uid = deployment.metadata?.uid;
  const selector = Object.entries(deployment.spec?.selector?.matchLabels ?? {});
  const replicaSets = informer
    .objects<ReplicaSetJson>("ReplicaSet", namespace)
    .filter((rs) => rs.metadata?.ownerReferences?.some((owner) => owner.uid === uid));
  const pods = informer
    .objects<PodJson>("Pod", namespace)
    .filter((pod) => selector.length > 0 && selector.every(([key, value]) => pod.metadata?.labels?.[key] === value));
  const events = informer.objects<EventJson>("Event", namespace);
  return { deployment, replicaSets, pods, events };
}
