// Where a rollout stands, from the objects the cluster reports: the
// Deployment (status and conditions), its ReplicaSets, its pods and the
// events about them, as plain JSON. Pure, so the worker's informer, the API
// and the tests all read a rollout the same way.
//
// Success is decided as `kubectl rollout status` decides it (the
// DeploymentStatusViewer in kubectl's rollout_status.go); failure adds what
// the pods say, because a Deployment's own status only ever reports a
// failure as a progress deadline, minutes after the cause is visible.

interface ObjectMeta {
  name?: string;
  uid?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  ownerReferences?: { uid?: string; kind?: string; name?: string }[];
}

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface DeploymentJson {
  metadata?: ObjectMeta;
  spec?: { replicas?: number; progressDeadlineSeconds?: number; template?: { spec?: { containers?: { name?: string; image?: string }[] } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}

export interface ReplicaSetJson {
  metadata?: ObjectMeta;
  status?: { conditions?: Condition[] };
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; exitCode?: number; message?: string };
}

export interface PodJson {
  metadata?: ObjectMeta;
  spec?: { containers?: { name?: string; image?: string }[] };
  status?: {
    phase?: string;
    conditions?: Condition[];
    containerStatuses?: {
      name?: string;
      image?: string;
      imageID?: string;
      ready?: boolean;
      restartCount?: number;
      state?: ContainerState;
      lastState?: ContainerState;
    }[];
  };
}

export interface EventJson {
  involvedObject?: { kind?: string; name?: string; uid?: string; fieldPath?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  metadata?: { creationTimestamp?: string };
}

export type RolloutPhase = "progressing" | "succeeded" | "failed";
export type RolloutFailureReason = "ImagePullBackOff" | "CrashLoopBackOff" | "ProgressDeadlineExceeded" | "FailedCreate";

export interface RolloutPod {
  name: string;
  /** The pod's phase, or Terminating once it is being deleted, as `kubectl get pods` shows it. */
  phase: string;
  ready: boolean;
  restarts: number;
  waitingReason?: string;
  /** Whether the pod runs the new template (the rollout's pods), not an old one being replaced. */
  updated: boolean;
}

export interface RolloutEvent {
  type: string;
  reason: string;
  message: string;
  /** `Pod/payments-api-7d9f8-abcde`, as `kubectl get events` names the object. */
  object: string;
  count: number;
  lastTimestamp?: string;
}

export interface RolloutState {
  phase: RolloutPhase;
  reason?: RolloutFailureReason;
  message: string;
  desired: number;
  updated: number;
  ready: number;
  available: number;
  pods: RolloutPod[];
  /** Events about the Deployment, its new ReplicaSet and the new pods, oldest first. */
  events: RolloutEvent[];
}

export interface RolloutObservation {
  deployment: DeploymentJson;
  /** The Deployment's ReplicaSets; they tell the new template's pods from the old ones. */
  replicaSets?: ReplicaSetJson[];
  pods: PodJson[];
  events?: EventJson[];
}

export interface RolloutStateOptions {
  /** Milliseconds since the epoch; only the FailedCreate grace reads it. */
  now: number;
  /**
   * How long pod creation may keep failing before the rollout has failed.
   * With maxUnavailable 0, a namespace near its quota refuses the surge pod
   * while replaced pods are still terminating (their grace period is 30 s
   * by default, and they count against the quota until gone), and the
   * ReplicaSet controller's retry then succeeds: that is not a failure.
   */
  failedCreateGraceSeconds?: number;
  /** A container in CrashLoopBackOff with this many restarts is failing, not starting slowly. */
  crashLoopRestarts?: number;
  /**
   * When this rollout was first applied (milliseconds since the epoch). Events
   * last seen before it belong to earlier rollouts of the same Deployment (or
   * of a ReplicaSet a rollback reuses) and are left out, with a margin of
   * `eventClockMarginMs` for whole-second timestamps and the cluster's clock.
   */
  since?: number;
}

export const eventClockMarginMs = 2_000;

/**
 * Three restarts: the kubelet backs off 10 s, 20 s, 40 s between them, so
 * the container has crashed for over a minute. One or two crashes are
 * often a dependency not ready yet at start-up (a database, a secret being
 * mounted) that the next attempt survives.
 */
export const defaultCrashLoopRestarts = 3;
export const defaultFailedCreateGraceSeconds = 60;

const revisionAnnotation = "deployment.kubernetes.io/revision";
const templateHashLabel = "pod-template-hash";

/** Kubernetes messages end with or without a period; Wharf's sentences around them add one. */
function clause(text: string): string {
  return text.trim().replace(/\.+$/, "");
}

function condition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((item) => item.type === type);
}

/** The ReplicaSet of the current template: the one whose revision is the Deployment's, as the controller marks it. */
function newReplicaSet(deployment: DeploymentJson, replicaSets: ReplicaSetJson[]): ReplicaSetJson | undefined {
  const revision = deployment.metadata?.annotations?.[revisionAnnotation];
  if (revision === undefined) return undefined;
  const owned = replicaSets.filter((rs) => !deployment.metadata?.uid || rs.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid));
  return owned.find((rs) => rs.metadata?.annotations?.[revisionAnnotation] === revision);
}

/** Pods of the new template: by the new ReplicaSet's hash label, or else by their images matching the template's. */
function isUpdatedPod(pod: PodJson, deployment: DeploymentJson, newRS: ReplicaSetJson | undefined): boolean {
  const hash = newRS?.metadata?.labels?.[templateHashLabel];
  if (hash !== undefined) return pod.metadata?.labels?.[templateHashLabel] === hash;
  if (newRS?.metadata?.uid && pod.metadata?.ownerReferences?.length) return pod.metadata.ownerReferences.some((owner) => owner.uid === newRS.metadata?.uid);
  const images = (deployment.spec?.template?.spec?.containers ?? []).map((container) => `${container.name}=${container.image}`).join(",");
  return (pod.spec?.containers ?? []).map((container) => `${container.name}=${container.image}`).join(",") === images;
}

function podView(pod: PodJson, updated: boolean): RolloutPod {
  const statuses = pod.status?.containerStatuses ?? [];
  const waiting = statuses.map((status) => status.state?.waiting?.reason).find((reason) => reason !== undefined);
  const view: RolloutPod = {
    name: pod.metadata?.name ?? "",
    phase: pod.metadata?.deletionTimestamp ? "Terminating" : (pod.status?.phase ?? "Pending"),
    ready: condition(pod.status?.conditions, "Ready")?.status === "True",
    restarts: statuses.reduce((total, status) => total + (status.restartCount ?? 0), 0),
    updated,
  };
  if (waiting !== undefined) view.waitingReason = waiting;
  return view;
}

function eventTime(event: EventJson): string {
  return event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp ?? "";
}

function relevantEvents(events: EventJson[], names: Set<string>, since: number | undefined): RolloutEvent[] {
  const earliest = since === undefined ? undefined : since - eventClockMarginMs;
  return events
    .filter((event) => names.has(`${event.involvedObject?.kind ?? ""}/${event.involvedObject?.name ?? ""}`))
    .filter((event) => earliest === undefined || !(Date.parse(eventTime(event)) < earliest))
    .sort((a, b) => eventTime(a).localeCompare(eventTime(b)))
    .map((event) => {
      const view: RolloutEvent = {
        type: event.type ?? "Normal",
        reason: event.reason ?? "",
        message: event.message ?? "",
        object: `${event.involvedObject?.kind ?? ""}/${event.involvedObject?.name ?? ""}`,
        count: event.count ?? 1,
      };
      const time = eventTime(event);
      if (time) view.lastTimestamp = time;
      return view;
    });
}

interface PodFailure {
  reason: "ImagePullBackOff" | "CrashLoopBackOff";
  message: string;
}

/** The first new pod that shows the rollout cannot succeed by waiting. */
function podFailure(pods: PodJson[], crashLoopRestarts: number): PodFailure | undefined {
  for (const pod of pods) {
    const name = pod.metadata?.name ?? "";
    for (const status of pod.status?.containerStatuses ?? []) {
      const waiting = status.state?.waiting;
      if (waiting?.reason === "ImagePullBackOff") {
        return {
          reason: "ImagePullBackOff",
          message:
            `Pod ${name} cannot pull its image: ${clause(waiting.message ?? "ImagePullBackOff")}. ` +
            "Check the tag exists in the registry, or deploy another tag.",
        };
      }
      const restarts = status.restartCount ?? 0;
      if (waiting?.reason === "CrashLoopBackOff" && restarts >= crashLoopRestarts) {
        const exit = status.lastState?.terminated?.exitCode;
        const exited = exit !== undefined ? ` (last exit code ${exit})` : "";
        return {
          reason: "CrashLoopBackOff",
          message:
            `Container ${status.name ?? ""} of pod ${name} keeps crashing: ${restarts} ` +
            `restarts${exited}. Read its logs, fix the cause, and deploy again or roll back.`,
        };
      }
    }
  }
  return undefined;
}

/** What the new pods are waiting on that is not yet a failure, for the progressing message. */
function podHint(pods: PodJson[]): string {
  for (const pod of pods) {
    for (const status of pod.status?.containerStatuses ?? []) {
      const reason = status.state?.waiting?.reason;
      if (reason && reason !== "ContainerCreating" && reason !== "PodInitializing") {
        const restarts = status.restartCount ? ` after ${status.restartCount} restart${status.restartCount === 1 ? "" : "s"}` : "";
        return ` Pod ${pod.metadata?.name ?? ""}: ${reason}${restarts}.`;
      }
    }
  }
  return "";
}

/** Where a rollout stands. Progressing until the new pods are all available, or failed with the reason a person can act on. */
export function rolloutState(observation: RolloutObservation, options: RolloutStateOptions): RolloutState {
  const { deployment } = observation;
  const status = deployment.status ?? {};
  const name = deployment.metadata?.name ?? "";
  const desired = deployment.spec?.replicas ?? 1;
  const counts = { desired, updated: status.updatedReplicas ?? 0, ready: status.readyReplicas ?? 0, available: status.availableReplicas ?? 0 };
  const newRS = newReplicaSet(deployment, observation.replicaSets ?? []);
  const pods = observation.pods.map((pod) => ({ pod, updated: isUpdatedPod(pod, deployment, newRS) }));
  const newPods = pods.filter((item) => item.updated).map((item) => item.pod);
  const views = pods.map((item) => podView(item.pod, item.updated)).sort((a, b) => Number(b.updated) - Number(a.updated) || a.name.localeCompare(b.name));
  const names = new Set([
    `Deployment/${name}`,
    ...(newRS?.metadata?.name ? [`ReplicaSet/${newRS.metadata.name}`] : []),
    ...newPods.map((pod) => `Pod/${pod.metadata?.name ?? ""}`),
  ]);
  const events = relevantEvents(observation.events ?? [], names, options.since);
  const result = (phase: RolloutPhase, message: string, reason?: RolloutFailureReason): RolloutState => ({
    phase,
    ...(reason ? { reason } : {}),
    message,
    ...counts,
    pods: views,
    events,
  });

  if ((deployment.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) {
    return result("progressing", "Waiting for the Deployment controller to observe the new spec.");
  }
  const conditions = status.conditions ?? [];
  const progressing = condition(conditions, "Progressing");
  const timedOut = progressing?.reason === "ProgressDeadlineExceeded";
  if (!timedOut && counts.updated >= desired && (status.replicas ?? 0) <= counts.updated && counts.available >= counts.updated) {
    return result("succeeded", `Rolled out: ${desired} of ${desired} replica${desired === 1 ? "" : "s"} updated and available.`);
  }

  const failure = podFailure(newPods, options.crashLoopRestarts ?? defaultCrashLoopRestarts);
  if (failure) return result("failed", failure.message, failure.reason);

  const replicaFailure = [condition(conditions, "ReplicaFailure"), condition(newRS?.status?.conditions, "ReplicaFailure")].find(
    (item) => item?.status === "True" && item.reason === "FailedCreate",
  );
  if (replicaFailure) {
    const since = Date.parse(replicaFailure.lastTransitionTime ?? "");
    const graceMs = (options.failedCreateGraceSeconds ?? defaultFailedCreateGraceSeconds) * 1000;
    if (timedOut || !Number.isFinite(since) || options.now - since >= graceMs) {
      return result(
        "failed",
        `Kubernetes cannot create the new pods: ${clause(replicaFailure.message ?? "FailedCreate")}. ` +
          "Lower the replicas or the resources, or ask for a larger quota.",
        "FailedCreate",
      );
    }
  }

  if (timedOut) {
    const deadline = deployment.spec?.progressDeadlineSeconds;
    const waited = deadline !== undefined ? ` for ${deadline} s` : "";
    return result(
      "failed",
      `The rollout made no progress${waited}: ${clause(progressing?.message ?? "progress deadline exceeded")}.${podHint(newPods)}`,
      "ProgressDeadlineExceeded",
    );
  }

  // kubectl's waiting messages, in its order.
  let message: string;
  if (counts.updated < desired) message = `Waiting for the rollout to finish: ${counts.updated} of ${desired} new replicas updated.`;
  else if ((status.replicas ?? 0) > counts.updated) {
    const old = (status.replicas ?? 0) - counts.updated;
    message = `Waiting for the rollout to finish: ${old} old replica${old === 1 ? "" : "s"} pending termination.`;
  } else message = `Waiting for the rollout to finish: ${counts.available} of ${counts.updated} updated replicas available.`;
  if (replicaFailure) message += ` Pod creation is failing and retried: ${clause(replicaFailure.message ?? "FailedCreate")}.`;
  return result("progressing", `${message}${podHint(newPods)}`);
}
