// What every part of the controller shares: the store, the clock, timers
// scaled by speed, the work queue and the event recorder. `controller.ts`
// implements it; the parts (deployments, replica sets, kubelet, quota) only
// see this interface, so each can be read without the machinery.
import type { KubeObject } from "../objects";
import type { ClusterStore } from "../store";

export type EventType = "Normal" | "Warning";

export interface EventSource {
  /** `deployment-controller`, `replicaset-controller`, `default-scheduler`, `kubelet`. */
  component: string;
  /** The node, for kubelet events. */
  host?: string;
}

/** What the parts record events through (`EventRecorder` in events.ts, which writes through this context). */
export interface EventSink {
  record(object: KubeObject, type: EventType, reason: string, message: string, source: EventSource, fieldPath?: string): void;
}

/** Units of work, deduplicated in the queue by kind, namespace and name. */
export type WorkKind = "deployment" | "replicaset" | "pod" | "quota" | "orphans" | "unblock";

/**
 * A `transition` timer moves an object towards a resting state (a pod
 * becoming ready, a terminating pod going away), so `settle()` waits for it.
 * An `idle` timer waits in a resting state (back-off, a progress deadline, a
 * retry), which may last for ever, so `settle()` does not.
 */
export type TimerKind = "transition" | "idle";

export interface ControllerContext {
  readonly store: ClusterStore;
  readonly knownRegistries: readonly string[];
  readonly events: EventSink;
  /** Milliseconds since the epoch, from the injected clock. */
  now(): number;
  /** `now()` as Kubernetes writes times: RFC 3339, whole seconds. */
  timestamp(): string;
  /** Real milliseconds for `seconds` of cluster time at the configured speed. */
  scaled(seconds: number): number;
  enqueue(kind: WorkKind, namespace: string, name?: string): void;
  /** Runs `run` after `delayMs` real milliseconds; a later call with the same key replaces the earlier timer. */
  after(key: string, delayMs: number, kind: TimerKind, run: () => void): void;
  cancel(key: string): void;
}
