// Pod status as the kubelet reports it (Kubernetes 1.32): phase, the five
// conditions in the kubelet's order, and container statuses with state,
// lastState and restart counts. Wharf's health and rollout views read these
// fields to tell ImagePullBackOff from CrashLoopBackOff, so reasons and
// messages use the kubelet's exact words.
import { isPlainObject, type JsonObject } from "../objects";
import { imageId, parseImage, pullError } from "./images";
import { everStarted, isReady, type ContainerRun, type PodRun } from "./pod-run";

/** Go's time.Duration.String() for whole seconds: "10s", "1m20s", "5m0s". */
export function goDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  return `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

function containerState(run: PodRun, container: ContainerRun): JsonObject {
  const state = container.state;
  switch (state.kind) {
    case "creating":
    case "pulling":
      return { waiting: { reason: "ContainerCreating" } };
    case "errImagePull":
      return { waiting: { reason: "ErrImagePull", message: pullError(container.image) } };
    case "imagePullBackOff":
      return { waiting: { reason: "ImagePullBackOff", message: `Back-off pulling image "${container.image}": ErrImagePull: ${pullError(container.image)}` } };
    case "running":
      return { running: { startedAt: state.startedAt } };
    case "terminated":
      return { terminated: { exitCode: 1, reason: "Error", startedAt: state.startedAt, finishedAt: state.finishedAt, containerID: container.containerId } };
    case "crashLoopBackOff":
      return {
        waiting: {
          reason: "CrashLoopBackOff",
          message: `back-off ${goDuration(state.backOffSeconds)} restarting failed container=${container.name} pod=${run.name}_${run.namespace}(${run.uid})`,
        },
      };
  }
}

function containerStatus(run: PodRun, container: ContainerRun): JsonObject {
  const last = container.lastTerminated;
  const status: JsonObject = {
    name: container.name,
    state: containerState(run, container),
    lastState: last
      ? { terminated: { exitCode: 1, reason: "Error", startedAt: last.startedAt, finishedAt: last.finishedAt, containerID: last.containerId } }
      : {},
    ready: container.state.kind === "running" && container.state.ready,
    restartCount: container.restartCount,
    image: parseImage(container.image).normalized,
    imageID: everStarted(container) ? imageId(container.image) : "",
    started: container.state.kind === "running",
  };
  if (container.containerId && container.state.kind !== "crashLoopBackOff") status.containerID = container.containerId;
  return status;
}

interface Condition {
  type: string;
  status: "True" | "False";
  reason?: string;
  message?: string;
}

/** Keeps lastTransitionTime while a condition's status stays the same, as the kubelet does. */
function stamped(conditions: Condition[], previous: unknown, now: string): JsonObject[] {
  const before = Array.isArray(previous) ? previous.filter(isPlainObject) : [];
  return conditions.map((condition) => {
    const old = before.find((item) => item.type === condition.type);
    const lastTransitionTime = old && old.status === condition.status && typeof old.lastTransitionTime === "string" ? old.lastTransitionTime : now;
    // The kubelet sends lastProbeTime: null, which the API server drops like every null.
    const result: JsonObject = { type: condition.type, status: condition.status, lastTransitionTime };
    if (condition.reason) result.reason = condition.reason;
    if (condition.message) result.message = condition.message;
    return result;
  });
}

/** The scheduler's part of status: only PodScheduled, until the kubelet takes over. */
export function scheduledStatus(previous: JsonObject, now: string): JsonObject {
  return { ...previous, conditions: stamped([{ type: "PodScheduled", status: "True" }], previous.conditions, now) };
}

export function podStatus(run: PodRun, previous: JsonObject, now: string): JsonObject {
  const unready = run.containers.filter((container) => !(container.state.kind === "running" && container.state.ready)).map((container) => container.name);
  const notReady = { status: "False" as const, reason: "ContainersNotReady", message: `containers with unready status: [${unready.join(" ")}]` };
  const ready = isReady(run);
  const conditions: Condition[] = [
    { type: "PodReadyToStartContainers", status: run.sandboxReady ? "True" : "False" },
    { type: "Initialized", status: "True" },
    ready ? { type: "Ready", status: "True" } : { type: "Ready", ...notReady },
    ready ? { type: "ContainersReady", status: "True" } : { type: "ContainersReady", ...notReady },
    { type: "PodScheduled", status: "True" },
  ];
  const status: JsonObject = {
    phase: run.containers.some(everStarted) ? "Running" : "Pending",
    conditions: stamped(conditions, previous.conditions, now),
    hostIP: run.hostIp,
    hostIPs: run.hostIp ? [{ ip: run.hostIp }] : undefined,
    podIP: run.podIp,
    podIPs: run.podIp ? [{ ip: run.podIp }] : undefined,
    startTime: run.startTime,
    containerStatuses: run.containers.map((container) => containerStatus(run, container)),
    qosClass: previous.qosClass,
  };
  for (const key of Object.keys(status)) if (status[key] === undefined) delete status[key];
  return status;
}
