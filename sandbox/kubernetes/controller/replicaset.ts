// The ReplicaSet controller: keeps as many active pods as spec.replicas,
// creating them through quota admission and deleting the least useful ones
// first, and reports replicas, readyReplicas and availableReplicas, plus a
// ReplicaFailure condition while pods cannot be created (logic from
// pkg/controller/replicaset).
import { clone, isPlainObject, timestamp, type JsonObject, type KubeObject } from "../objects";
import type { ControllerContext } from "./context";
import type { Kubelet } from "./kubelet";
import { podForReplicaSet } from "./pod-factory";
import { KubeError } from "../status";
import { namespaces, pods, replicaSets } from "./types";
import { controllerUid, createObject, managers, updateObject } from "./writes";

const source = { component: "replicaset-controller" };

function statusOf(object: KubeObject): JsonObject {
  return isPlainObject(object.status) ? object.status : {};
}

function conditionsOf(status: JsonObject): JsonObject[] {
  return Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
}

export function isPodReady(pod: KubeObject): boolean {
  return conditionsOf(statusOf(pod)).some((condition) => condition.type === "Ready" && condition.status === "True");
}

function isActive(pod: KubeObject): boolean {
  const phase = statusOf(pod).phase;
  return !pod.metadata.deletionTimestamp && phase !== "Succeeded" && phase !== "Failed";
}

/**
 * Copies of the pods `owner` controls; the namespace's other pods are only looked at, not copied (a sync ran this for every pod change,
 * and cloning the whole namespace's pods each time was most of the sandbox's CPU under 100 rollouts).
 */
export function ownedPods(ctx: ControllerContext, owner: KubeObject): KubeObject[] {
  return ctx.store
    .view(pods, owner.metadata.namespace)
    .filter((pod) => controllerUid(pod as KubeObject, "ReplicaSet") === owner.metadata.uid)
    .map((pod) => clone(pod as KubeObject));
}

function restarts(pod: KubeObject): number {
  const statuses = statusOf(pod).containerStatuses;
  return Array.isArray(statuses)
    ? statuses.filter(isPlainObject).reduce((sum, item) => sum + (typeof item.restartCount === "number" ? item.restartCount : 0), 0)
    : 0;
}

/** controller.ActivePods ordering: pods that are least far along go first, so scale-down keeps serving pods. */
function deletionRank(pod: KubeObject): number[] {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const phase = statusOf(pod).phase;
  const created = Date.parse(pod.metadata.creationTimestamp ?? "") || 0;
  return [spec.nodeName ? 1 : 0, phase === "Pending" ? 0 : phase === "Running" ? 2 : 1, isPodReady(pod) ? 1 : 0, -restarts(pod), -created];
}

function compareRanks(a: number[], b: number[]): number {
  for (let index = 0; index < a.length; index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

export class ReplicaSetController {
  /** Consecutive failed syncs per ReplicaSet, for the retry back-off. */
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly kubelet: Kubelet,
  ) {}

  sync(namespace: string, name: string): void {
    const replicaSet = this.ctx.store.get(replicaSets, namespace, name);
    if (!replicaSet?.metadata.uid || replicaSet.metadata.deletionTimestamp) return;
    const spec = isPlainObject(replicaSet.spec) ? replicaSet.spec : {};
    const desired = typeof spec.replicas === "number" ? spec.replicas : 1;
    const active = ownedPods(this.ctx, replicaSet).filter(isActive);
    let failure: string | undefined;
    if (active.length < desired) failure = this.createPods(replicaSet, desired - active.length);
    else if (active.length > desired) this.deletePods(replicaSet, active, active.length - desired);
    this.writeStatus(replicaSet, failure);
    const key = `replicaset-retry/${replicaSet.metadata.uid}`;
    if (failure) {
      // The real controller requeues with a growing delay; each attempt repeats FailedCreate.
      const attempt = (this.failures.get(replicaSet.metadata.uid) ?? 0) + 1;
      this.failures.set(replicaSet.metadata.uid, attempt);
      this.ctx.after(key, this.ctx.scaled(Math.min(60, 2 ** (attempt - 1))), "idle", () => this.ctx.enqueue("replicaset", namespace, name));
    } else if (this.failures.delete(replicaSet.metadata.uid)) this.ctx.cancel(key);
  }

  forget(uid: string): void {
    this.failures.delete(uid);
    this.ctx.cancel(`replicaset-retry/${uid}`);
    this.ctx.cancel(`replicaset-available/${uid}`);
  }

  /** Creates pods until one is refused; returns the refusal, as the API error message. */
  private createPods(replicaSet: KubeObject, count: number): string | undefined {
    const namespace = this.ctx.store.get(namespaces, undefined, replicaSet.metadata.namespace ?? "");
    if (!namespace || namespace.metadata.deletionTimestamp) return undefined;
    for (let index = 0; index < count; index++) {
      let created: KubeObject;
      try {
        created = createObject(this.ctx, pods, podForReplicaSet(this.ctx, replicaSet), managers.controllerManager);
      } catch (error) {
        if (!(error instanceof KubeError)) throw error;
        const message = error.status.message ?? "";
        this.ctx.events.record(replicaSet, "Warning", "FailedCreate", `Error creating: ${message}`, source);
        return message;
      }
      this.ctx.events.record(replicaSet, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name ?? ""}`, source);
    }
    return undefined;
  }

  private deletePods(replicaSet: KubeObject, active: KubeObject[], count: number): void {
    const victims = [...active].sort((a, b) => compareRanks(deletionRank(a), deletionRank(b))).slice(0, count);
    for (const pod of victims) {
      this.kubelet.delete(pod);
      this.ctx.events.record(replicaSet, "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name ?? ""}`, source);
    }
  }

  private writeStatus(replicaSet: KubeObject, failure: string | undefined): void {
    const current = this.ctx.store.get(replicaSets, replicaSet.metadata.namespace, replicaSet.metadata.name ?? "");
    if (!current) return;
    const spec = isPlainObject(current.spec) ? current.spec : {};
    const minReadyMs = this.ctx.scaled(typeof spec.minReadySeconds === "number" ? spec.minReadySeconds : 0);
    const template = isPlainObject(spec.template) && isPlainObject(spec.template.metadata) ? spec.template.metadata : {};
    const templateLabels = isPlainObject(template.labels) ? template.labels : {};
    const active = ownedPods(this.ctx, current).filter(isActive);
    const now = this.ctx.now();
    let available = 0;
    let nextAvailableAt: number | undefined;
    for (const pod of active) {
      const since = this.kubelet.readySince(pod);
      if (since === undefined) continue;
      if (since + minReadyMs <= now) available += 1;
      else nextAvailableAt = Math.min(nextAvailableAt ?? Infinity, since + minReadyMs);
    }
    if (nextAvailableAt !== undefined) {
      this.ctx.after(`replicaset-available/${current.metadata.uid ?? ""}`, nextAvailableAt - now + 1, "transition", () =>
        this.ctx.enqueue("replicaset", current.metadata.namespace ?? "", current.metadata.name ?? ""),
      );
    }
    const previous = statusOf(current);
    // Zero counts are omitted (omitempty), except replicas, as the API returns them.
    const status: JsonObject = { replicas: active.length };
    const fullyLabeled = active.filter((pod) => Object.entries(templateLabels).every(([key, value]) => pod.metadata.labels?.[key] === value)).length;
    if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
    const ready = active.filter(isPodReady).length;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (current.metadata.generation) status.observedGeneration = current.metadata.generation;
    const otherConditions = conditionsOf(previous).filter((condition) => condition.type !== "ReplicaFailure");
    const oldFailure = conditionsOf(previous).find((condition) => condition.type === "ReplicaFailure");
    const conditions = [...otherConditions];
    if (failure) {
      // Like the real controller, the first failure's condition stays while creation keeps failing
      // (each retry's message names a new random pod, so replacing it would never settle).
      conditions.push(
        oldFailure ?? { type: "ReplicaFailure", status: "True", lastTransitionTime: timestamp(new Date(now)), reason: "FailedCreate", message: failure },
      );
    } else if (oldFailure && active.length < ((spec.replicas as number | undefined) ?? 1)) {
      // Nothing was attempted this time (namespace terminating): keep the last failure.
      conditions.push(oldFailure);
    }
    if (conditions.length) status.conditions = conditions;
    updateObject(this.ctx, replicaSets, current, { ...current, status }, managers.controllerManager, "status");
  }
}
