// The kubelet's memory of each pod it runs: where it is in its lifecycle,
// per container. Pod status is derived from this (pod-status.ts), never
// edited piecemeal, so every write is a complete and consistent status.
import type { ContainerLogs } from "./container-logs";
import type { ImageOutcome } from "./images";

export type ContainerState =
  | { kind: "creating" }
  | { kind: "pulling" }
  | { kind: "errImagePull" }
  | { kind: "imagePullBackOff" }
  | { kind: "running"; startedAt: string; ready: boolean }
  | { kind: "terminated"; startedAt: string; finishedAt: string }
  | { kind: "crashLoopBackOff"; backOffSeconds: number };

export interface ContainerRun {
  name: string;
  image: string;
  imagePullPolicy: string;
  outcome: ImageOutcome;
  state: ContainerState;
  restartCount: number;
  containerId?: string;
  lastTerminated?: { startedAt: string; finishedAt: string; containerId: string };
  /** Failed pulls in a row, for the image pull back-off. */
  pullFailures: number;
  /** Cluster seconds from start until the readiness probe first succeeds. */
  readinessDelaySeconds: number;
  hasReadinessProbe: boolean;
  /** The first port the container declares, for its start-up log. */
  port?: number;
  /** What this instance and the one before it wrote (container-logs.ts). */
  logs: ContainerLogs;
}

export interface PodRun {
  uid: string;
  namespace: string;
  name: string;
  node?: string;
  /** The node this run is counted on in the kubelet's per-node totals. */
  counted?: string;
  hostIp?: string;
  podIp?: string;
  startTime?: string;
  /** The pod sandbox (network namespace) exists: PodReadyToStartContainers. */
  sandboxReady: boolean;
  terminating: boolean;
  containers: ContainerRun[];
  /** When the pod last turned Ready, in clock milliseconds (for minReadySeconds). */
  readySince?: number;
}

export function everStarted(container: ContainerRun): boolean {
  return container.restartCount > 0 || container.lastTerminated !== undefined || container.state.kind === "running" || container.state.kind === "terminated";
}

export function isReady(run: PodRun): boolean {
  return run.sandboxReady && !run.terminating && run.containers.every((container) => container.state.kind === "running" && container.state.ready);
}
