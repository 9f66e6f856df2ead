// What Kubernetes says about one service's Deployment in one namespace, from
// the objects the worker's informers hold, as the health model reads it. Pure:
// the objects, Wharf's own record of the last rollout, the clock and the
// restart history are inputs.
import type { DeploymentJson, PodJson } from "@/lib/deployments/rollout-state";
import { runningImage } from "@/lib/deployments/running-image";
import type { KubernetesObservation } from "@/lib/health/types";

/** Wharf's last rollout of the service in the namespace (the newest Deployment row that was applied). */
export interface LastRollout {
  status: string;
  reason: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  replicas: number;
}

/**
 * Container restart counts seen over time, per pod, so restarts "in the
 * window" can be told from a pod's lifetime total. Kept in the worker's
 * memory; a worker that just started knows only what it has seen since.
 */
export class RestartHistory {
  private readonly samples = new Map<string, { at: number; restarts: number }[]>();

  /** Records the pod's total now and returns its restarts within the window. */
  restartsInWindow(pod: PodJson, now: number, windowMs: number): number {
    const uid = pod.metadata?.uid ?? pod.metadata?.name ?? "";
    const statuses = pod.status?.containerStatuses ?? [];
    const total = statuses.reduce((sum, status) => sum + (status.restartCount ?? 0), 0);
    const created = Date.parse((pod.metadata as { creationTimestamp?: string } | undefined)?.creationTimestamp ?? "");
    const history = this.samples.get(uid) ?? [];
    history.push({ at: now, restarts: total });
    // Keep the newest sample at or before the window's start as the baseline, and everything after it.
    const start = now - windowMs;
    let baselineIndex = -1;
    for (let i = 0; i < history.length; i++) if (history[i]!.at <= start) baselineIndex = i;
    const kept = baselineIndex > 0 ? history.slice(baselineIndex) : history;
    this.samples.set(uid, kept);
    if (Number.isFinite(created) && created >= start) return total;
    const baseline = kept[0]!;
    const seen = total - baseline.restarts;
    if (baseline.at <= start) return seen;
    // Not watched for the whole window: at least the last termination, if it fell inside it.
    const lastEnded = statuses.some((status) => {
      const finished = Date.parse((status.lastState?.terminated as { finishedAt?: string } | undefined)?.finishedAt ?? "");
      return Number.isFinite(finished) && finished >= start;
    });
    return Math.max(seen, lastEnded ? 1 : 0);
  }

  /** Forgets pods no longer seen (deleted, replaced). */
  retain(uids: ReadonlySet<string>): void {
    for (const uid of this.samples.keys()) if (!uids.has(uid)) this.samples.delete(uid);
  }
}

export interface KubernetesObservationInput {
  /** The Deployment object, or undefined when the informer has none of that name. */
  deployment: DeploymentJson | undefined;
  /** The service's pods in the namespace. */
  pods: PodJson[];
  lastRollout: LastRollout | null;
  now: Date;
  windowMinutes: number;
  restarts: RestartHistory;
}

function imageParts(image: string | undefined): { tag: string | null; digest: string | null } {
  if (!image) return { tag: null, digest: null };
  const [reference, digest] = image.split("@");
  const lastSegment = reference!.slice(reference!.lastIndexOf("/") + 1);
  const colon = lastSegment.lastIndexOf(":");
  return { tag: colon >= 0 ? lastSegment.slice(colon + 1) : null, digest: digest ?? null };
}

function notReadySince(pod: PodJson): string | null {
  const ready = pod.status?.conditions?.find((condition) => condition.type === "Ready");
  return ready && ready.status !== "True" ? (ready.lastTransitionTime ?? null) : null;
}

const activeRollout = new Set(["applying", "progressing"]);

export function observeKubernetes(input: KubernetesObservationInput): KubernetesObservation {
  const { deployment, pods, lastRollout, now } = input;
  const observedAt = now.toISOString();
  const windowMs = input.windowMinutes * 60_000;
  const container = deployment?.spec?.template?.spec?.containers?.[0];
  const observation: KubernetesObservation = {
    observedAt,
    // A Deployment Wharf applied that the cluster no longer has: none of its replicas are ready.
    desiredReplicas: deployment ? (deployment.spec?.replicas ?? 1) : (lastRollout?.replicas ?? 0),
    readyReplicas: deployment?.status?.readyReplicas ?? 0,
    restarts: 0,
    waiting: [],
  };
  // The version running is what serves: after a failed rollout the old ReplicaSet's pods, not the new template.
  const running = runningImage(pods);
  const image = running?.image ?? container?.image;
  if (image) observation.image = image;
  const parts = imageParts(image);
  Object.assign(observation, parts, { digest: parts.digest ?? running?.digest ?? null });
  const targetTag = imageParts(container?.image).tag;

  const waiting = new Map<string, { pods: number; since: string | null }>();
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    observation.restarts! += input.restarts.restartsInWindow(pod, now.getTime(), windowMs);
    const reasons = new Set(
      (pod.status?.containerStatuses ?? []).map((status) => status.state?.waiting?.reason).filter((reason): reason is string => Boolean(reason)),
    );
    for (const reason of reasons) {
      const entry = waiting.get(reason) ?? { pods: 0, since: null };
      entry.pods += 1;
      const since = notReadySince(pod);
      if (since && (!entry.since || since < entry.since)) entry.since = since;
      waiting.set(reason, entry);
    }
  }
  observation.waiting = [...waiting].map(([reason, entry]) => ({ reason, ...entry })).sort((a, b) => a.reason.localeCompare(b.reason));

  if (lastRollout?.status === "failed") {
    observation.rollout = {
      phase: "failed",
      reason: lastRollout.reason,
      since: (lastRollout.finishedAt ?? lastRollout.startedAt)?.toISOString() ?? null,
      targetTag,
    };
  } else if (lastRollout && activeRollout.has(lastRollout.status) && lastRollout.startedAt) {
    const deadlineMs = (deployment?.spec?.progressDeadlineSeconds ?? 600) * 1000;
    if (now.getTime() - lastRollout.startedAt.getTime() > deadlineMs) {
      observation.rollout = {
        phase: "progressing",
        reason: "past the progress deadline",
        since: new Date(lastRollout.startedAt.getTime() + deadlineMs).toISOString(),
        targetTag,
      };
    }
  }
  const progressing = deployment?.status?.conditions?.find((condition) => condition.type === "Progressing");
  if (!observation.rollout && progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded") {
    observation.rollout = { phase: "failed", reason: "ProgressDeadlineExceeded", since: progressing.lastTransitionTime ?? null, targetTag };
  }
  return observation;
}
