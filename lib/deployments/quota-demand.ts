// How much of a namespace's ResourceQuota a rollout needs at its worst
// moment. Pure arithmetic over the manifest about to be applied and the one
// running now; the policy compares the result with what the quota has left.
import { maxMilli, quantityMilli } from "@/lib/kubernetes/quantity";

export type ResourceList = Record<string, string | number>;

/** Container defaults a LimitRange fills in before quota admission sees the pod. */
export interface ContainerDefaults {
  requests?: ResourceList;
  limits?: ResourceList;
}

interface ContainerLike {
  name?: string;
  image?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
}

/** The parts of a Deployment (rendered, stored or live) the arithmetic reads. */
export interface DeploymentShape {
  spec: {
    replicas?: number;
    strategy?: { type?: string; rollingUpdate?: { maxSurge?: string | number; maxUnavailable?: string | number } };
    template?: { spec?: { containers?: ContainerLike[]; initContainers?: ContainerLike[] } };
  };
}

/** Quota resources Wharf can predict, and the names a ResourceQuota may spell them with. */
export const quotaResources = {
  "requests.cpu": ["requests.cpu", "cpu"],
  "requests.memory": ["requests.memory", "memory"],
  "limits.cpu": ["limits.cpu"],
  "limits.memory": ["limits.memory"],
  pods: ["pods", "count/pods"],
} as const;

export type QuotaResource = keyof typeof quotaResources;
/** Per quota resource, exactly, in milli-units (a pod counts 1000: quota counts pods as a quantity too). */
export type PodUsage = Record<QuotaResource, bigint>;

/** intstr.GetScaledValueFromIntOrPercent: a percentage of the desired replicas, rounded as the controller rounds. */
function scaled(value: string | number | undefined, replicas: number, roundUp: boolean, fallback: string): number {
  const chosen = value ?? fallback;
  if (typeof chosen === "number") return chosen;
  const percent = /^(\d+)%$/.exec(chosen);
  if (!percent) return Number.isInteger(Number(chosen)) ? Number(chosen) : 0;
  const exact = (Number(percent[1]) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/**
 * Extra pods a rolling update may run above the desired replicas
 * (deploymentutil.ResolveFenceposts; unset fields default to 25%). A
 * Recreate strategy deletes the old pods first, so it has none.
 */
export function surgePods(deployment: DeploymentShape): number {
  const spec = deployment.spec;
  if (spec.strategy?.type === "Recreate") return 0;
  const replicas = spec.replicas ?? 1;
  const rolling = spec.strategy?.rollingUpdate;
  const surge = scaled(rolling?.maxSurge, replicas, true, "25%");
  const unavailable = scaled(rolling?.maxUnavailable, replicas, false, "25%");
  // Both zero would deadlock; the controller then allows one unavailable pod, not a surge pod.
  return surge === 0 && unavailable === 0 ? 0 : surge;
}

function amount(value: string | number | undefined): bigint {
  if (value === undefined) return 0n;
  return quantityMilli(value) ?? 0n;
}

/**
 * What one pod of this template charges against a quota, in milli-units of
 * cores, bytes and pods. As the API server counts: LimitRange defaults fill in what a
 * container leaves out (a missing request takes the default request, else
 * the container's limit), containers add up, and the largest init container
 * counts if it is bigger.
 */
export function podUsage(deployment: DeploymentShape, defaults: ContainerDefaults = {}): PodUsage {
  const template = deployment.spec.template?.spec ?? {};
  const effective = (container: ContainerLike, field: "requests" | "limits", resource: "cpu" | "memory"): bigint => {
    const own = container.resources?.[field]?.[resource];
    if (own !== undefined) return amount(own);
    if (field === "limits") return amount(defaults.limits?.[resource]);
    return amount(defaults.requests?.[resource] ?? container.resources?.limits?.[resource] ?? defaults.limits?.[resource]);
  };
  const total = (field: "requests" | "limits", resource: "cpu" | "memory"): bigint => {
    const sum = (template.containers ?? []).reduce((value, container) => value + effective(container, field, resource), 0n);
    const init = (template.initContainers ?? []).reduce((value, container) => maxMilli(value, effective(container, field, resource)), 0n);
    return maxMilli(sum, init);
  };
  return {
    "requests.cpu": total("requests", "cpu"),
    "requests.memory": total("requests", "memory"),
    "limits.cpu": total("limits", "cpu"),
    "limits.memory": total("limits", "memory"),
    pods: 1000n,
  };
}

export interface RolloutDemand {
  /** Pods of the new template once the rollout is done. */
  replicas: number;
  /** Extra pods allowed during the rolling update. */
  surge: number;
  /** Pods running now (the current Deployment's replicas), which `used` already counts. */
  currentPods: number;
  /** The most pods that exist at once during the rollout. */
  peakPods: number;
  /** Per quota resource: what the current pods hold now, and the most the rollout holds at once. */
  current: PodUsage;
  peak: PodUsage;
}

/**
 * The rollout's worst moment, per quota resource.
 *
 * Quota charges every pod that exists, so it is the count of pods that
 * matters, not the Deployment's replicas. With R new replicas, S surge pods
 * and R₀ pods of the current Deployment, during a rolling update the old
 * ReplicaSet holds o ≤ R₀ pods, the new one n ≤ R, and the controller keeps
 * o + n ≤ R + S. What the Deployment charges is o·p₀ + n·p (p₀ and p per pod,
 * old and new template): linear in o and n, so its maximum is at a corner
 * of that region: (o, n) = (min(R₀, S), R), the last step with the new
 * ReplicaSet full and S old pods not yet removed, or (min(R₀, R + S), R + S − o),
 * the first step with every old pod still running and the surge pods started.
 *
 * Examples, with 25% surge: R = R₀ = 4 → S = 1, peak 4 new + 1 old = 5 pods;
 * a first deployment (R₀ = 0) needs only R pods, as nothing is replaced;
 * scaling 2 → 8 with a new tag → S = 2, peak 8 new + 2 old = 10 pods, so at
 * 250m each, 2.5 cores of requests where the finished rollout holds 2.
 *
 * The namespace needs: used − (what the current pods hold) + peak ≤ hard.
 * Terminating old pods still count until they are gone, which the controller
 * does not wait for; a namespace within a pod's worth of its quota may see a
 * brief FailedCreate that the ReplicaSet controller retries.
 */
export function rolloutDemand(next: DeploymentShape, current: DeploymentShape | null | undefined, defaults: ContainerDefaults = {}): RolloutDemand {
  const replicas = next.spec.replicas ?? 1;
  const surge = surgePods(next);
  const currentPods = current ? (current.spec.replicas ?? 1) : 0;
  const perPod = podUsage(next, defaults);
  const perOldPod = current ? podUsage(current, defaults) : podUsage({ spec: {} }, defaults);
  const lastStep = { old: Math.min(currentPods, surge), new: replicas };
  const firstOld = Math.min(currentPods, replicas + surge);
  const firstStep = { old: firstOld, new: Math.min(replicas, replicas + surge - firstOld) };
  const charge = (step: { old: number; new: number }, resource: QuotaResource): bigint =>
    BigInt(step.old) * perOldPod[resource] + BigInt(step.new) * perPod[resource];
  const peak = {} as PodUsage;
  const held = {} as PodUsage;
  for (const resource of Object.keys(quotaResources) as QuotaResource[]) {
    peak[resource] = maxMilli(charge(lastStep, resource), charge(firstStep, resource));
    held[resource] = BigInt(currentPods) * perOldPod[resource];
  }
  return { replicas, surge, currentPods, peakPods: Number(peak.pods / 1000n), current: held, peak };
}
