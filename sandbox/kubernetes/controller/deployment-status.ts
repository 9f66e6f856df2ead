// Deployment status and conditions, computed as pkg/controller/deployment
// does (sync.go calculateStatus, progress.go, util/deployment_util.go):
// counts summed over the deployment's ReplicaSets, `Available` against
// maxUnavailable, and `Progressing` with its real reasons and messages.
// `kubectl rollout status` and Wharf's rollout view both read exactly these.
import { isPlainObject, type JsonObject, type KubeObject } from "../objects";

export type ConditionStatus = "True" | "False" | "Unknown";

export interface DeploymentCondition {
  type: string;
  status: ConditionStatus;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface DeploymentStatus {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
  collisionCount?: number;
}

export const reasons = {
  newReplicaSetCreated: "NewReplicaSetCreated",
  foundNewReplicaSet: "FoundNewReplicaSet",
  replicaSetUpdated: "ReplicaSetUpdated",
  newReplicaSetAvailable: "NewReplicaSetAvailable",
  timedOut: "ProgressDeadlineExceeded",
  paused: "DeploymentPaused",
  resumed: "DeploymentResumed",
  minimumAvailable: "MinimumReplicasAvailable",
  minimumUnavailable: "MinimumReplicasUnavailable",
  failedCreate: "FailedCreate",
} as const;

function count(status: JsonObject, field: string): number {
  const value = status[field];
  return typeof value === "number" ? value : 0;
}

export function statusNumber(object: KubeObject, field: string): number {
  return count(isPlainObject(object.status) ? object.status : {}, field);
}

export function specReplicas(object: KubeObject): number {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  return typeof spec.replicas === "number" ? spec.replicas : 1;
}

export function readStatus(deployment: KubeObject): DeploymentStatus {
  const status = isPlainObject(deployment.status) ? deployment.status : {};
  const conditions = Array.isArray(status.conditions) ? (status.conditions.filter(isPlainObject) as unknown as DeploymentCondition[]) : [];
  const result: DeploymentStatus = {
    observedGeneration: count(status, "observedGeneration"),
    replicas: count(status, "replicas"),
    updatedReplicas: count(status, "updatedReplicas"),
    readyReplicas: count(status, "readyReplicas"),
    availableReplicas: count(status, "availableReplicas"),
    unavailableReplicas: count(status, "unavailableReplicas"),
    conditions: conditions.map((condition) => ({ ...condition })),
  };
  if (typeof status.collisionCount === "number") result.collisionCount = status.collisionCount;
  return result;
}

/** The status as the API returns it: zero counts are omitted (every field is omitempty). */
export function writeStatus(status: DeploymentStatus): JsonObject {
  const result: JsonObject = {};
  for (const field of ["observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas"] as const) {
    if (status[field] !== 0) result[field] = status[field];
  }
  if (status.conditions.length > 0) result.conditions = status.conditions;
  if (status.collisionCount !== undefined) result.collisionCount = status.collisionCount;
  return result;
}

export function getCondition(status: DeploymentStatus, type: string): DeploymentCondition | undefined {
  return status.conditions.find((condition) => condition.type === type);
}

export function newCondition(type: string, status: ConditionStatus, reason: string, message: string, now: string): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** SetDeploymentCondition: same status and reason is a no-op; the changed condition moves to the end. Returns whether it changed. */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): boolean {
  const current = getCondition(status, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason) return false;
  const next = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  status.conditions = [...status.conditions.filter((item) => item.type !== condition.type), next];
  return true;
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  status.conditions = status.conditions.filter((condition) => condition.type !== type);
}

/** DeploymentComplete: every desired replica is updated and available, and the spec has been observed. */
export function deploymentComplete(deployment: KubeObject, status: DeploymentStatus): boolean {
  const replicas = specReplicas(deployment);
  return (
    status.updatedReplicas === replicas &&
    status.replicas === replicas &&
    status.availableReplicas === replicas &&
    status.observedGeneration >= (deployment.metadata.generation ?? 0)
  );
}

/** DeploymentProgressing: more updated, fewer old, or more ready or available replicas than last time. */
export function deploymentProgressing(previous: DeploymentStatus, next: DeploymentStatus): boolean {
  return (
    next.updatedReplicas > previous.updatedReplicas ||
    next.replicas - next.updatedReplicas < previous.replicas - previous.updatedReplicas ||
    next.readyReplicas > previous.readyReplicas ||
    next.availableReplicas > previous.availableReplicas
  );
}

/** calculateStatus: counts over all ReplicaSets, plus the Available condition. */
export function calculateStatus(
  deployment: KubeObject,
  previous: DeploymentStatus,
  allReplicaSets: KubeObject[],
  newReplicaSet: KubeObject | undefined,
  maxUnavailable: number,
  now: string,
): DeploymentStatus {
  const sum = (field: string): number => allReplicaSets.reduce((total, rs) => total + statusNumber(rs, field), 0);
  const available = sum("availableReplicas");
  const total = allReplicaSets.reduce((totalReplicas, rs) => totalReplicas + specReplicas(rs), 0);
  const status: DeploymentStatus = {
    observedGeneration: deployment.metadata.generation ?? 0,
    replicas: sum("replicas"),
    updatedReplicas: newReplicaSet ? statusNumber(newReplicaSet, "replicas") : 0,
    readyReplicas: sum("readyReplicas"),
    availableReplicas: available,
    // More available than desired (while scaling down) is not negative unavailability.
    unavailableReplicas: Math.max(0, total - available),
    conditions: previous.conditions.map((condition) => ({ ...condition })),
  };
  if (previous.collisionCount !== undefined) status.collisionCount = previous.collisionCount;
  if (available >= specReplicas(deployment) - maxUnavailable) {
    setCondition(status, newCondition("Available", "True", reasons.minimumAvailable, "Deployment has minimum availability.", now));
  } else {
    setCondition(status, newCondition("Available", "False", reasons.minimumUnavailable, "Deployment does not have minimum availability.", now));
  }
  return status;
}
