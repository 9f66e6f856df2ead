// The Deployment controller (pkg/controller/deployment): one ReplicaSet per
// pod template named `<deployment>-<pod-template-hash>`, revisions, rolling
// updates bounded by maxSurge/maxUnavailable, Recreate, scaling, paused
// deployments, revision history cleanup and the rollout status. Function
// names follow the Go code so the two can be read side by side.
import { applyDefaults } from "../defaults";
import { clone, deepEqual, isPlainObject, timestamp, type JsonObject, type KubeObject } from "../objects";
import type { ControllerContext } from "./context";
import {
  calculateStatus,
  deploymentComplete,
  deploymentProgressing,
  getCondition,
  newCondition,
  readStatus,
  reasons,
  removeCondition,
  setCondition,
  specReplicas,
  statusNumber,
  writeStatus,
  type DeploymentCondition,
  type DeploymentStatus,
} from "./deployment-status";
import { resolveFenceposts } from "./fenceposts";
import { ownedPods } from "./replicaset";
import { podTemplateHash } from "./template-hash";
import { deployments, replicaSets } from "./types";
import { controllerReference, controllerUid, createObject, managers, updateObject } from "./writes";

const hashLabel = "pod-template-hash";
const annotations = {
  revision: "deployment.kubernetes.io/revision",
  revisionHistory: "deployment.kubernetes.io/revision-history",
  desiredReplicas: "deployment.kubernetes.io/desired-replicas",
  maxReplicas: "deployment.kubernetes.io/max-replicas",
};
/** Deployment annotations that stay off its ReplicaSets (skipCopyAnnotation). */
const notCopied = new Set([...Object.values(annotations), "kubectl.kubernetes.io/last-applied-configuration", "deprecated.deployment.rollback.to"]);
const source = { component: "deployment-controller" };

interface Spec {
  replicas: number;
  template: JsonObject;
  selector: JsonObject;
  strategy: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  minReadySeconds: number;
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  paused: boolean;
}

/** One reconcile of one Deployment: the object being worked on and its status as it evolves. */
interface Sync {
  deployment: KubeObject;
  spec: Spec;
  status: DeploymentStatus;
  /** Owned ReplicaSets, oldest first, kept current as this sync writes them. */
  replicaSets: KubeObject[];
}

function specOf(deployment: KubeObject): Spec {
  // Defaulted again here so a Deployment written straight to the store (in tests) compares like one from the API.
  const defaulted = clone(deployment);
  applyDefaults("Deployment", defaulted);
  const spec = isPlainObject(defaulted.spec) ? defaulted.spec : {};
  const strategy = isPlainObject(spec.strategy) ? (spec.strategy as Spec["strategy"]) : {};
  return {
    replicas: typeof spec.replicas === "number" ? spec.replicas : 1,
    template: isPlainObject(spec.template) ? spec.template : {},
    selector: isPlainObject(spec.selector) ? spec.selector : {},
    strategy,
    minReadySeconds: typeof spec.minReadySeconds === "number" ? spec.minReadySeconds : 0,
    revisionHistoryLimit: typeof spec.revisionHistoryLimit === "number" ? spec.revisionHistoryLimit : undefined,
    progressDeadlineSeconds: typeof spec.progressDeadlineSeconds === "number" ? spec.progressDeadlineSeconds : undefined,
    paused: spec.paused === true,
  };
}

function isRolling(spec: Spec): boolean {
  return spec.strategy.type !== "Recreate";
}

export function maxSurge(spec: Spec): number {
  return isRolling(spec) ? resolveFenceposts(spec.strategy.rollingUpdate?.maxSurge, spec.strategy.rollingUpdate?.maxUnavailable, spec.replicas).maxSurge : 0;
}

export function maxUnavailable(spec: Spec): number {
  if (!isRolling(spec) || spec.replicas === 0) return 0;
  return Math.min(
    spec.replicas,
    resolveFenceposts(spec.strategy.rollingUpdate?.maxSurge, spec.strategy.rollingUpdate?.maxUnavailable, spec.replicas).maxUnavailable,
  );
}

function revisionOf(object: KubeObject): number {
  const value = Number(object.metadata.annotations?.[annotations.revision] ?? "0");
  return Number.isInteger(value) ? value : 0;
}

function templateOf(rs: KubeObject): unknown {
  return isPlainObject(rs.spec) ? rs.spec.template : undefined;
}

/** EqualIgnoreHash: the same pod template once the pod-template-hash label is set aside. */
function equalIgnoreHash(a: unknown, b: unknown): boolean {
  const strip = (template: unknown): unknown => {
    const copy = clone(template);
    if (isPlainObject(copy) && isPlainObject(copy.metadata) && isPlainObject(copy.metadata.labels)) {
      delete copy.metadata.labels[hashLabel];
      if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
    }
    return copy;
  };
  return deepEqual(strip(a), strip(b));
}

function byCreation(a: KubeObject, b: KubeObject): number {
  const time = (a.metadata.creationTimestamp ?? "").localeCompare(b.metadata.creationTimestamp ?? "");
  return time !== 0 ? time : (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

export class DeploymentController {
  /** When each deployment last made progress, in clock milliseconds: the progress deadline counts from here. */
  private readonly progressAt = new Map<string, number>();

  constructor(private readonly ctx: ControllerContext) {}

  forget(uid: string): void {
    this.progressAt.delete(uid);
    this.ctx.cancel(`deadline/${uid}`);
  }

  sync(namespace: string, name: string): void {
    const stored = this.ctx.store.get(deployments, namespace, name);
    if (!stored?.metadata.uid || stored.metadata.deletionTimestamp) return;
    const owned = this.ctx.store
      .view(replicaSets, namespace)
      .filter((rs) => controllerUid(rs as KubeObject, "Deployment") === stored.metadata.uid)
      .map((rs) => clone(rs as KubeObject));
    const sync: Sync = { deployment: clone(stored), spec: specOf(stored), status: readStatus(stored), replicaSets: owned.sort(byCreation) };
    this.checkPausedConditions(sync);
    if (sync.spec.paused) this.syncOnly(sync);
    else if (this.isScalingEvent(sync)) this.syncOnly(sync);
    else if (isRolling(sync.spec)) this.rolloutRolling(sync);
    else this.rolloutRecreate(sync);
    this.save(sync);
  }

  private save(sync: Sync): void {
    const current = this.ctx.store.get(deployments, sync.deployment.metadata.namespace, sync.deployment.metadata.name ?? "");
    if (!current || current.metadata.uid !== sync.deployment.metadata.uid) return;
    const next = { ...current, metadata: { ...current.metadata, annotations: sync.deployment.metadata.annotations }, status: writeStatus(sync.status) };
    if (!next.metadata.annotations) delete next.metadata.annotations;
    updateObject(this.ctx, deployments, current, next, managers.controllerManager, "status");
    this.scheduleDeadline(sync);
  }

  private now(): string {
    return timestamp(new Date(this.ctx.now()));
  }

  // ---- ReplicaSets and revisions (sync.go) ----

  private getAllReplicaSetsAndSyncRevision(sync: Sync, createIfNotExisted: boolean): { newRS?: KubeObject; oldRSs: KubeObject[] } {
    const existing = sync.replicaSets.find((rs) => equalIgnoreHash(templateOf(rs), sync.spec.template));
    const oldRSs = sync.replicaSets.filter((rs) => rs !== existing);
    const newRS = this.getNewReplicaSet(sync, existing, oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  private getNewReplicaSet(sync: Sync, existing: KubeObject | undefined, oldRSs: KubeObject[], createIfNotExisted: boolean): KubeObject | undefined {
    const newRevision = String(oldRSs.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0) + 1);
    if (existing) {
      const copy = clone(existing);
      const annotationsUpdated = this.setNewReplicaSetAnnotations(sync, copy, newRevision, true);
      const rsSpec = isPlainObject(copy.spec) ? copy.spec : {};
      const minReadyChanged = (rsSpec.minReadySeconds ?? 0) !== sync.spec.minReadySeconds;
      let current = existing;
      if (annotationsUpdated || minReadyChanged) {
        // minReadySeconds is omitempty: zero is not written.
        if (sync.spec.minReadySeconds) rsSpec.minReadySeconds = sync.spec.minReadySeconds;
        else delete rsSpec.minReadySeconds;
        current = this.replace(sync, existing, updateObject(this.ctx, replicaSets, existing, copy, managers.controllerManager));
      }
      this.setDeploymentRevision(sync, String(revisionOf(current)));
      if (sync.spec.progressDeadlineSeconds !== undefined && !getCondition(sync.status, "Progressing")) {
        this.setProgressing(
          sync,
          newCondition("Progressing", "True", reasons.foundNewReplicaSet, `Found new replica set "${current.metadata.name ?? ""}"`, this.now()),
        );
      }
      return current;
    }
    if (!createIfNotExisted) return undefined;
    for (let attempt = 0; attempt < 10; attempt++) {
      const created = this.createReplicaSet(sync, oldRSs, newRevision);
      if (created) return created;
      // A ReplicaSet of that name with another template exists: hash again with a higher collisionCount.
      sync.status.collisionCount = (sync.status.collisionCount ?? 0) + 1;
    }
    return undefined;
  }

  private createReplicaSet(sync: Sync, oldRSs: KubeObject[], newRevision: string): KubeObject | undefined {
    const { deployment, spec } = sync;
    const hash = podTemplateHash(spec.template, sync.status.collisionCount);
    const template = clone(spec.template);
    const templateMeta = isPlainObject(template.metadata) ? template.metadata : (template.metadata = {});
    const labels = { ...(isPlainObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : {}), [hashLabel]: hash };
    templateMeta.labels = labels;
    const matchLabels = isPlainObject(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
    const name = `${deployment.metadata.name ?? ""}-${hash}`;
    const clash = this.ctx.store.get(replicaSets, deployment.metadata.namespace, name);
    if (clash) {
      if (controllerUid(clash, "Deployment") === deployment.metadata.uid && equalIgnoreHash(templateOf(clash), spec.template)) return clash;
      return undefined;
    }
    const rs: KubeObject = {
      metadata: { name, namespace: deployment.metadata.namespace, labels: { ...labels }, ownerReferences: [controllerReference(deployment)] },
      spec: { replicas: 0, selector: { ...spec.selector, matchLabels: { ...matchLabels, [hashLabel]: hash } }, template },
    };
    if (spec.minReadySeconds) (rs.spec as JsonObject).minReadySeconds = spec.minReadySeconds;
    const replicas = this.newRSNewReplicas(sync, [...oldRSs, rs], rs);
    (rs.spec as JsonObject).replicas = replicas;
    this.setNewReplicaSetAnnotations(sync, rs, newRevision, false);
    const created = createObject(this.ctx, replicaSets, rs, managers.controllerManager);
    sync.replicaSets.push(created);
    if (replicas > 0) this.ctx.events.record(deployment, "Normal", "ScalingReplicaSet", `Scaled up replica set ${name} from 0 to ${replicas}`, source);
    this.setDeploymentRevision(sync, newRevision);
    if (spec.progressDeadlineSeconds !== undefined) {
      this.setProgressing(sync, newCondition("Progressing", "True", reasons.newReplicaSetCreated, `Created new replica set "${name}"`, this.now()));
    }
    return created;
  }

  /** SetNewReplicaSetAnnotations: copied deployment annotations, the revision (and history on rollback), replica hints on creation. */
  private setNewReplicaSetAnnotations(sync: Sync, rs: KubeObject, newRevision: string, exists: boolean): boolean {
    let changed = false;
    const rsAnnotations: Record<string, string> = { ...rs.metadata.annotations };
    for (const [key, value] of Object.entries(sync.deployment.metadata.annotations ?? {})) {
      if (notCopied.has(key) || rsAnnotations[key] === value) continue;
      rsAnnotations[key] = value;
      changed = true;
    }
    const oldRevision = rsAnnotations[annotations.revision];
    if (Number(oldRevision ?? 0) < Number(newRevision)) {
      rsAnnotations[annotations.revision] = newRevision;
      changed = true;
      if (oldRevision) {
        const history = rsAnnotations[annotations.revisionHistory];
        rsAnnotations[annotations.revisionHistory] = history ? `${history},${oldRevision}` : oldRevision;
      }
    }
    if (!exists) {
      rsAnnotations[annotations.desiredReplicas] = String(sync.spec.replicas);
      rsAnnotations[annotations.maxReplicas] = String(sync.spec.replicas + maxSurge(sync.spec));
      changed = true;
    }
    rs.metadata.annotations = rsAnnotations;
    return changed;
  }

  private setDeploymentRevision(sync: Sync, revision: string): void {
    const meta = sync.deployment.metadata;
    if (meta.annotations?.[annotations.revision] !== revision) meta.annotations = { ...meta.annotations, [annotations.revision]: revision };
  }

  private replace(sync: Sync, before: KubeObject, after: KubeObject): KubeObject {
    const index = sync.replicaSets.findIndex((rs) => rs.metadata.uid === before.metadata.uid);
    if (index >= 0) sync.replicaSets[index] = after;
    return after;
  }

  /** The current copy of a ReplicaSet within this sync. */
  private latest(sync: Sync, rs: KubeObject): KubeObject {
    return sync.replicaSets.find((item) => item.metadata.uid === rs.metadata.uid) ?? rs;
  }

  private scaleReplicaSet(sync: Sync, rs: KubeObject, newScale: number, operation: "up" | "down"): KubeObject {
    const copy = clone(rs);
    const rsSpec = isPlainObject(copy.spec) ? copy.spec : {};
    const oldScale = specReplicas(rs);
    const desired = String(sync.spec.replicas);
    const max = String(sync.spec.replicas + maxSurge(sync.spec));
    const hints = copy.metadata.annotations ?? {};
    const hintsChanged = hints[annotations.desiredReplicas] !== desired || hints[annotations.maxReplicas] !== max;
    if (oldScale === newScale && !hintsChanged) return rs;
    copy.metadata.annotations = { ...hints, [annotations.desiredReplicas]: desired, [annotations.maxReplicas]: max };
    rsSpec.replicas = newScale;
    const stored = this.replace(sync, rs, updateObject(this.ctx, replicaSets, rs, copy, managers.controllerManager));
    if (oldScale !== newScale) {
      this.ctx.events.record(
        sync.deployment,
        "Normal",
        "ScalingReplicaSet",
        `Scaled ${operation} replica set ${rs.metadata.name ?? ""} from ${oldScale} to ${newScale}`,
        source,
      );
    }
    return stored;
  }

  private scaleAndRecord(sync: Sync, rs: KubeObject, newScale: number): boolean {
    if (specReplicas(rs) === newScale) return false;
    this.scaleReplicaSet(sync, rs, newScale, specReplicas(rs) < newScale ? "up" : "down");
    return true;
  }

  // ---- Scaling and paused deployments (sync.go) ----

  private isScalingEvent(sync: Sync): boolean {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(sync, false);
    return [...oldRSs, ...(newRS ? [newRS] : [])]
      .map((rs) => this.latest(sync, rs))
      .filter((rs) => specReplicas(rs) > 0)
      .some((rs) => {
        const desired = rs.metadata.annotations?.[annotations.desiredReplicas];
        return desired !== undefined && Number(desired) !== sync.spec.replicas;
      });
  }

  /** `sync`: scale without rolling out, then report status (used for scaling events and paused deployments). */
  private syncOnly(sync: Sync): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(sync, false);
    this.scale(sync, newRS, oldRSs);
    const latestNew = newRS && this.latest(sync, newRS);
    if (sync.spec.paused) this.cleanupDeployment(sync, oldRSs);
    const all = sync.replicaSets;
    sync.status = calculateStatus(sync.deployment, sync.status, all, latestNew, maxUnavailable(sync.spec), this.now());
  }

  private scale(sync: Sync, newRS: KubeObject | undefined, oldRSs: KubeObject[]): void {
    const latestNew = newRS && this.latest(sync, newRS);
    const olds = oldRSs.map((rs) => this.latest(sync, rs));
    const active = [...(latestNew ? [latestNew] : []), ...olds].filter((rs) => specReplicas(rs) > 0);
    const target = active.length === 1 ? active[0] : active.length === 0 ? (latestNew ?? [...olds].sort(byCreation).pop()) : undefined;
    if (target) {
      this.scaleAndRecord(sync, target, sync.spec.replicas);
      return;
    }
    if (latestNew && this.isSaturated(sync, latestNew)) {
      for (const rs of olds.filter((item) => specReplicas(item) > 0)) this.scaleAndRecord(sync, rs, 0);
      return;
    }
    if (isRolling(sync.spec)) this.scaleProportionally(sync, active);
  }

  private isSaturated(sync: Sync, rs: KubeObject): boolean {
    const desired = rs.metadata.annotations?.[annotations.desiredReplicas];
    return (
      desired !== undefined &&
      Number(desired) === sync.spec.replicas &&
      specReplicas(rs) === sync.spec.replicas &&
      statusNumber(rs, "availableReplicas") === sync.spec.replicas
    );
  }

  /** Scaling mid-rollout: each active ReplicaSet grows or shrinks in proportion to its size, leftovers to the largest. */
  private scaleProportionally(sync: Sync, active: KubeObject[]): void {
    const allowedSize = sync.spec.replicas > 0 ? sync.spec.replicas + maxSurge(sync.spec) : 0;
    const toAdd = allowedSize - active.reduce((total, rs) => total + specReplicas(rs), 0);
    const newerFirst = (a: KubeObject, b: KubeObject): number => specReplicas(b) - specReplicas(a) || byCreation(b, a);
    const olderFirst = (a: KubeObject, b: KubeObject): number => specReplicas(b) - specReplicas(a) || byCreation(a, b);
    const ordered = [...active].sort(toAdd > 0 ? newerFirst : olderFirst);
    const sizes = new Map<string, number>();
    let added = 0;
    for (const rs of ordered) {
      let proportion = 0;
      if (toAdd !== 0 && toAdd !== added && specReplicas(rs) > 0) {
        const annotated = Number(rs.metadata.annotations?.[annotations.maxReplicas] ?? sync.status.replicas) || sync.status.replicas || 1;
        const fraction = sync.spec.replicas === 0 ? -specReplicas(rs) : Math.round((specReplicas(rs) * allowedSize) / annotated) - specReplicas(rs);
        proportion = toAdd > 0 ? Math.min(fraction, toAdd - added) : Math.max(fraction, toAdd - added);
      }
      sizes.set(rs.metadata.uid ?? "", specReplicas(rs) + proportion);
      added += proportion;
    }
    ordered.forEach((rs, index) => {
      let size = sizes.get(rs.metadata.uid ?? "") ?? specReplicas(rs);
      if (index === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      this.scaleReplicaSet(sync, rs, size, toAdd > 0 ? "up" : "down");
    });
  }

  private checkPausedConditions(sync: Sync): void {
    if (sync.spec.progressDeadlineSeconds === undefined) return;
    const condition = getCondition(sync.status, "Progressing");
    if (condition?.reason === reasons.timedOut) return;
    const pausedNoted = condition?.reason === reasons.paused;
    if (sync.spec.paused && !pausedNoted) setCondition(sync.status, newCondition("Progressing", "Unknown", reasons.paused, "Deployment is paused", this.now()));
    else if (!sync.spec.paused && pausedNoted)
      this.setProgressing(sync, newCondition("Progressing", "Unknown", reasons.resumed, "Deployment is resumed", this.now()));
  }

  // ---- Rolling update (rolling.go) ----

  private rolloutRolling(sync: Sync): void {
    const { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(sync, true);
    if (!newRS) return;
    if (this.reconcileNewReplicaSet(sync, newRS)) return this.syncRolloutStatus(sync, newRS);
    if (this.reconcileOldReplicaSets(sync, oldRSs, newRS)) return this.syncRolloutStatus(sync, newRS);
    if (deploymentComplete(sync.deployment, sync.status)) this.cleanupDeployment(sync, oldRSs);
    this.syncRolloutStatus(sync, newRS);
  }

  private reconcileNewReplicaSet(sync: Sync, newRS: KubeObject): boolean {
    const current = this.latest(sync, newRS);
    const replicas = specReplicas(current);
    if (replicas === sync.spec.replicas) return false;
    if (replicas > sync.spec.replicas) return this.scaleAndRecord(sync, current, sync.spec.replicas);
    return this.scaleAndRecord(sync, current, this.newRSNewReplicas(sync, sync.replicaSets, current));
  }

  /** NewRSNewReplicas: how far the new ReplicaSet may grow without passing replicas + maxSurge. */
  private newRSNewReplicas(sync: Sync, allRSs: KubeObject[], newRS: KubeObject): number {
    if (!isRolling(sync.spec)) return sync.spec.replicas;
    const currentPodCount = allRSs.reduce((total, rs) => total + specReplicas(rs), 0);
    const maxTotalPods = sync.spec.replicas + maxSurge(sync.spec);
    if (currentPodCount >= maxTotalPods) return specReplicas(newRS);
    const scaleUpCount = Math.min(maxTotalPods - currentPodCount, sync.spec.replicas - specReplicas(newRS));
    return specReplicas(newRS) + scaleUpCount;
  }

  private reconcileOldReplicaSets(sync: Sync, oldRSs: KubeObject[], newRS: KubeObject): boolean {
    const olds = (): KubeObject[] => oldRSs.map((rs) => this.latest(sync, rs));
    const oldPodsCount = olds().reduce((total, rs) => total + specReplicas(rs), 0);
    if (oldPodsCount === 0) return false;
    const allPodsCount = sync.replicaSets.reduce((total, rs) => total + specReplicas(rs), 0);
    const minAvailable = sync.spec.replicas - maxUnavailable(sync.spec);
    const latestNew = this.latest(sync, newRS);
    const newRSUnavailablePodCount = specReplicas(latestNew) - statusNumber(latestNew, "availableReplicas");
    const maxScaledDown = allPodsCount - minAvailable - newRSUnavailablePodCount;
    if (maxScaledDown <= 0) return false;
    const cleanedUp = this.cleanupUnhealthyReplicas(
      sync,
      olds().filter((rs) => specReplicas(rs) > 0),
      maxScaledDown,
    );
    const scaledDown = this.scaleDownOldReplicaSetsForRollingUpdate(
      sync,
      olds().filter((rs) => specReplicas(rs) > 0),
    );
    return cleanedUp + scaledDown > 0;
  }

  /** Old pods that are not available go first: removing them costs no availability. */
  private cleanupUnhealthyReplicas(sync: Sync, oldRSs: KubeObject[], maxCleanupCount: number): number {
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= maxCleanupCount) break;
      const replicas = specReplicas(rs);
      const available = statusNumber(rs, "availableReplicas");
      if (replicas === 0 || replicas === available) continue;
      const count = Math.min(maxCleanupCount - total, replicas - available);
      this.scaleReplicaSet(sync, rs, replicas - count, "down");
      total += count;
    }
    return total;
  }

  private scaleDownOldReplicaSetsForRollingUpdate(sync: Sync, oldRSs: KubeObject[]): number {
    const minAvailable = sync.spec.replicas - maxUnavailable(sync.spec);
    const availablePodCount = sync.replicaSets.reduce((total, rs) => total + statusNumber(rs, "availableReplicas"), 0);
    if (availablePodCount <= minAvailable) return 0;
    const totalScaleDownCount = availablePodCount - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreation)) {
      if (total >= totalScaleDownCount) break;
      const replicas = specReplicas(rs);
      if (replicas === 0) continue;
      const count = Math.min(replicas, totalScaleDownCount - total);
      this.scaleReplicaSet(sync, rs, replicas - count, "down");
      total += count;
    }
    return total;
  }

  // ---- Recreate (recreate.go) ----

  private rolloutRecreate(sync: Sync): void {
    let { newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(sync, false);
    let scaledDown = false;
    for (const rs of oldRSs.map((item) => this.latest(sync, item)).filter((item) => specReplicas(item) > 0)) {
      this.scaleReplicaSet(sync, rs, 0, "down");
      scaledDown = true;
    }
    const oldPodsRunning = oldRSs.some((rs) => ownedPods(this.ctx, rs).length > 0);
    if (scaledDown || oldPodsRunning) return this.syncRolloutStatus(sync, newRS);
    if (!newRS) ({ newRS, oldRSs } = this.getAllReplicaSetsAndSyncRevision(sync, true));
    if (newRS) this.scaleAndRecord(sync, this.latest(sync, newRS), sync.spec.replicas);
    if (deploymentComplete(sync.deployment, sync.status)) this.cleanupDeployment(sync, oldRSs);
    this.syncRolloutStatus(sync, newRS);
  }

  // ---- History and status (sync.go, progress.go) ----

  /** Keeps revisionHistoryLimit old ReplicaSets that are scaled to zero; deletes older ones. */
  private cleanupDeployment(sync: Sync, oldRSs: KubeObject[]): void {
    const limit = sync.spec.revisionHistoryLimit;
    if (limit === undefined) return;
    const cleanable = oldRSs.map((rs) => this.latest(sync, rs)).filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = cleanable.length - limit;
    if (excess <= 0) return;
    for (const rs of cleanable.sort((a, b) => revisionOf(a) - revisionOf(b)).slice(0, excess)) {
      if (statusNumber(rs, "replicas") !== 0 || specReplicas(rs) !== 0 || (rs.metadata.generation ?? 0) > statusNumber(rs, "observedGeneration")) continue;
      this.ctx.store.remove(replicaSets, rs.metadata.namespace, rs.metadata.name ?? "");
      sync.replicaSets = sync.replicaSets.filter((item) => item.metadata.uid !== rs.metadata.uid);
    }
  }

  private syncRolloutStatus(sync: Sync, newRS: KubeObject | undefined): void {
    const latestNew = newRS && this.latest(sync, newRS);
    const previous = sync.status;
    const next = calculateStatus(sync.deployment, previous, sync.replicaSets, latestNew, maxUnavailable(sync.spec), this.now());
    const hasDeadline = sync.spec.progressDeadlineSeconds !== undefined;
    if (!hasDeadline) removeCondition(next, "Progressing");
    const current = getCondition(previous, "Progressing");
    const complete = next.replicas === next.updatedReplicas && current?.reason === reasons.newReplicaSetAvailable;
    const rsName = latestNew?.metadata.name ?? "";
    sync.status = next;
    if (hasDeadline && !complete) {
      if (deploymentComplete(sync.deployment, next)) {
        const message = latestNew ? `ReplicaSet "${rsName}" has successfully progressed.` : "Deployment has successfully progressed.";
        setCondition(next, newCondition("Progressing", "True", reasons.newReplicaSetAvailable, message, this.now()));
      } else if (deploymentProgressing(previous, next)) {
        const message = latestNew ? `ReplicaSet "${rsName}" is progressing.` : "Deployment is progressing.";
        const condition = newCondition("Progressing", "True", reasons.replicaSetUpdated, message, this.now());
        // Progress refreshes lastUpdateTime even with the same reason; that is what the deadline counts from.
        if (current?.status === "True") condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(next, "Progressing");
        this.setProgressing(sync, condition);
      } else if (this.timedOut(sync)) {
        const message = latestNew ? `ReplicaSet "${rsName}" has timed out progressing.` : "Deployment has timed out progressing.";
        setCondition(next, newCondition("Progressing", "False", reasons.timedOut, message, this.now()));
      }
    }
    const failure = this.replicaFailure(sync, latestNew);
    if (failure) setCondition(next, failure);
    else removeCondition(next, "ReplicaFailure");
  }

  /** getReplicaFailures: the new ReplicaSet's FailedCreate first, else an old one's. */
  private replicaFailure(sync: Sync, newRS: KubeObject | undefined): DeploymentCondition | undefined {
    const failureOf = (rs: KubeObject): JsonObject | undefined => {
      const conditions = isPlainObject(rs.status) && Array.isArray(rs.status.conditions) ? rs.status.conditions.filter(isPlainObject) : [];
      return conditions.find((condition) => condition.type === "ReplicaFailure");
    };
    const found = (newRS && failureOf(newRS)) ?? sync.replicaSets.map(failureOf).find(Boolean);
    if (!found) return undefined;
    const time = String(found.lastTransitionTime ?? this.now());
    return {
      type: "ReplicaFailure",
      status: found.status === "False" ? "False" : "True",
      lastUpdateTime: time,
      lastTransitionTime: time,
      reason: String(found.reason ?? ""),
      message: String(found.message ?? ""),
    };
  }

  private setProgressing(sync: Sync, condition: DeploymentCondition): void {
    if (setCondition(sync.status, condition)) this.progressAt.set(sync.deployment.metadata.uid ?? "", this.ctx.now());
  }

  /** The time progress was last seen: remembered, or read back from lastUpdateTime after a restart. */
  private lastProgress(sync: Sync): number | undefined {
    const remembered = this.progressAt.get(sync.deployment.metadata.uid ?? "");
    if (remembered !== undefined) return remembered;
    const parsed = Date.parse(getCondition(sync.status, "Progressing")?.lastUpdateTime ?? "");
    return Number.isFinite(parsed) ? parsed : undefined;
  }

  private timedOut(sync: Sync): boolean {
    const condition = getCondition(sync.status, "Progressing");
    if (sync.spec.progressDeadlineSeconds === undefined || !condition || condition.reason === reasons.newReplicaSetAvailable) return false;
    if (condition.reason === reasons.timedOut) return true;
    const from = this.lastProgress(sync);
    return from !== undefined && from + this.ctx.scaled(sync.spec.progressDeadlineSeconds) < this.ctx.now();
  }

  /** requeueStuckDeployment: look again when the deadline would pass if nothing moves. */
  private scheduleDeadline(sync: Sync): void {
    const uid = sync.deployment.metadata.uid ?? "";
    const condition = getCondition(sync.status, "Progressing");
    const deadline = sync.spec.progressDeadlineSeconds;
    const from = this.lastProgress(sync);
    const waiting = condition && condition.status !== "Unknown" && condition.reason !== reasons.newReplicaSetAvailable && condition.reason !== reasons.timedOut;
    if (deadline === undefined || !waiting || from === undefined) {
      this.ctx.cancel(`deadline/${uid}`);
      return;
    }
    const delay = Math.max(0, from + this.ctx.scaled(deadline) - this.ctx.now()) + 5;
    this.ctx.after(`deadline/${uid}`, delay, "idle", () =>
      this.ctx.enqueue("deployment", sync.deployment.metadata.namespace ?? "", sync.deployment.metadata.name ?? ""),
    );
  }
}
