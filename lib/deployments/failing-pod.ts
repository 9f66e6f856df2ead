// Which pod of a rollout tells why it fails, and which of its events matter:
// pure, so the page and its tests read the same rules. A pod waiting in a
// back-off or an error is failing; so is one that restarted and is not
// ready, or any not-ready pod of the new template once the rollout failed.
import type { RolloutEvent, RolloutPod } from "./rollout-state";

/** What the kubelet records for every container that starts normally: folded away on the page, never hidden. */
export const routineEventReasons: ReadonlySet<string> = new Set(["Scheduled", "Pulling", "Pulled", "Created", "Started"]);

const failingWait = /BackOff|Err|Invalid|CreateContainer/;

export function isFailingPod(pod: RolloutPod, rolloutFailed: boolean): boolean {
  if (pod.phase === "Terminating") return false;
  if (pod.waitingReason && failingWait.test(pod.waitingReason)) return true;
  return !pod.ready && (pod.restarts > 0 || (rolloutFailed && pod.updated));
}

/** The pod to explain the rollout with: the new template's first failing pod, else any failing pod. */
export function failingPod(pods: readonly RolloutPod[], rolloutFailed: boolean): RolloutPod | undefined {
  const failing = pods.filter((pod) => isFailingPod(pod, rolloutFailed));
  return failing.find((pod) => pod.updated) ?? failing[0];
}

/** The pod's events, split into the ones worth reading and the routine start-up ones (Normal only: a Warning is never routine). */
export function podEvents(events: readonly RolloutEvent[], pod: string): { notable: RolloutEvent[]; routine: RolloutEvent[] } {
  const mine = events.filter((event) => event.object === `Pod/${pod}`);
  const routine = mine.filter((event) => event.type === "Normal" && routineEventReasons.has(event.reason));
  return { notable: mine.filter((event) => !routine.includes(event)), routine };
}
