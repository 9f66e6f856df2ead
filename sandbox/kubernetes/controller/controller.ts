// The controller's machinery: a store subscription that turns changes into
// deduplicated work, a loop that drains it, timers scaled by speed, and
// `settle()`. Work runs outside the store's synchronous listener (on the
// next turn of the event loop) so a burst of writes is reconciled once and
// the controller never writes from inside another writer's call.
import { deepEqual, isPlainObject, timestamp } from "../objects";
import type { ClusterStore, StoreEvent } from "../store";
import type { ControllerContext, TimerKind, WorkKind } from "./context";
import { DeploymentController } from "./deployment";
import { EventRecorder } from "./events";
import { collectOrphans } from "./garbage-collector";
import { defaultKnownRegistries } from "./images";
import { Kubelet } from "./kubelet";
import { syncQuotas } from "./quota";
import { ReplicaSetController } from "./replicaset";
import { deployments, namespaces, pods, replicaSets } from "./types";
import { controllerName } from "./writes";

export interface ControllerOptions {
  /** How fast cluster time runs: 1 paces a rollout over seconds as on AKS; tests use 20 or more. */
  speed?: number;
  /** Milliseconds since the epoch; timestamps and deadlines read it (timers still use setTimeout). */
  clock?: () => number;
  /** Registry hosts whose images can be pulled; others end in ImagePullBackOff. */
  knownRegistries?: string[];
}

export interface RunningController {
  /** Stops reacting to changes and clears every timer. */
  stop(): void;
  /** Resolves once no work is queued and nothing is in transition (pods starting, stopping); back-offs and deadlines may still be waiting. */
  settle(): Promise<void>;
}

interface Work {
  kind: WorkKind;
  namespace: string;
  name: string;
}

/** A reconcile that keeps producing work is a bug; stop the loop rather than hang the sandbox. */
const maxWorkPerDrain = 100_000;
const eventSweepMs = 5 * 60 * 1000;

class Controller implements ControllerContext {
  readonly events = new EventRecorder();
  readonly knownRegistries: readonly string[];
  private readonly speed: number;
  private readonly clock: () => number;
  /**
   * Work in two tiers: pods, ReplicaSets and quota first, Deployments after. A
   * Deployment then always sees its ReplicaSets' pods already created or
   * terminating, as when the ReplicaSet controller keeps up, so pod counts
   * stay within maxSurge and not only the ReplicaSets' sizes.
   */
  private readonly queue = new Map<string, Work>();
  private readonly deploymentQueue = new Map<string, Work>();
  private readonly timers = new Map<string, { handle: NodeJS.Timeout; kind: TimerKind }>();
  private readonly waiters: (() => void)[] = [];
  readonly kubelet: Kubelet;
  private readonly replicaSetController: ReplicaSetController;
  private readonly deploymentController: DeploymentController;
  private readonly unsubscribe: () => void;
  private immediate: NodeJS.Immediate | undefined;
  private draining = false;
  private stopped = false;

  constructor(
    readonly store: ClusterStore,
    options: ControllerOptions,
  ) {
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0) || !Number.isFinite(this.speed)) throw new Error(`controller speed must be a positive number, got ${String(options.speed)}`);
    this.clock = options.clock ?? Date.now;
    this.knownRegistries = options.knownRegistries ?? defaultKnownRegistries;
    this.events.bind(this);
    this.kubelet = new Kubelet(this);
    this.replicaSetController = new ReplicaSetController(this, this.kubelet);
    this.deploymentController = new DeploymentController(this);
    this.unsubscribe = store.subscribe((event) => this.observe(event));
    this.resync();
    this.sweepEvents();
  }

  now(): number {
    return this.clock();
  }

  timestamp(): string {
    return timestamp(new Date(this.clock()));
  }

  scaled(seconds: number): number {
    return (seconds * 1000) / this.speed;
  }

  enqueue(kind: WorkKind, namespace: string, name = ""): void {
    if (this.stopped) return;
    (kind === "deployment" ? this.deploymentQueue : this.queue).set(`${kind}/${namespace}/${name}`, { kind, namespace, name });
    if (!this.draining) this.immediate ??= setImmediate(() => this.drain());
  }

  after(key: string, delayMs: number, kind: TimerKind, run: () => void): void {
    if (this.stopped) return;
    this.cancel(key);
    const handle = setTimeout(
      () => {
        this.timers.delete(key);
        if (this.stopped) return;
        this.guard(run);
        this.drain();
      },
      Math.max(0, delayMs),
    );
    // Waiting timers never keep a process alive on their own (a crash loop waits for ever); short transitions do.
    if (kind === "idle") handle.unref();
    this.timers.set(key, { handle, kind });
  }

  cancel(key: string): void {
    const timer = this.timers.get(key);
    if (!timer) return;
    clearTimeout(timer.handle);
    this.timers.delete(key);
  }

  settle(): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push(resolve);
      this.checkSettled();
    });
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    for (const timer of this.timers.values()) clearTimeout(timer.handle);
    this.timers.clear();
    this.queue.clear();
    this.deploymentQueue.clear();
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  /** Everything already in the store, as after a sandbox restart, is looked at once. */
  private resync(): void {
    // Only names are read: the stored objects, not copies of every pod.
    for (const namespace of this.store.view(namespaces)) {
      const name = namespace.metadata.name ?? "";
      this.enqueue("orphans", name);
      this.enqueue("quota", name);
    }
    for (const item of this.store.view(deployments)) this.enqueue("deployment", item.metadata.namespace ?? "", item.metadata.name);
    for (const item of this.store.view(replicaSets)) this.enqueue("replicaset", item.metadata.namespace ?? "", item.metadata.name);
    for (const item of this.store.view(pods)) this.enqueue("pod", item.metadata.namespace ?? "", item.metadata.name);
  }

  private sweepEvents(): void {
    this.after("events/expire", eventSweepMs, "idle", () => {
      this.events.expire();
      this.sweepEvents();
    });
  }

  /** Maps one store change to the work it causes. Runs inside the store's write: it only queues. */
  private observe(event: Readonly<StoreEvent>): void {
    const { object, type } = event;
    const namespace = object.metadata.namespace ?? "";
    const name = object.metadata.name ?? "";
    const uid = object.metadata.uid ?? "";
    // Object counts (`count/deployments.apps`, `services`) change with every create and delete.
    if (type !== "MODIFIED" && event.resource.namespaced && event.resource.kind !== "Event") this.enqueue("quota", namespace);
    switch (event.resource.kind) {
      case "Deployment":
        if (type === "DELETED") {
          this.deploymentController.forget(uid);
          this.enqueue("orphans", namespace);
        } else this.enqueue("deployment", namespace, name);
        return;
      case "ReplicaSet": {
        const owner = controllerName(object, "Deployment");
        if (owner) this.enqueue("deployment", namespace, owner);
        if (type === "DELETED") {
          this.replicaSetController.forget(uid);
          this.enqueue("orphans", namespace);
        } else if (
          type === "ADDED" ||
          !deepEqual(object.spec, event.previous?.spec) ||
          object.metadata.deletionTimestamp !== event.previous?.metadata.deletionTimestamp
        ) {
          // Its own status writes do not wake a ReplicaSet; its pods and spec do.
          this.enqueue("replicaset", namespace, name);
        }
        return;
      }
      case "Pod": {
        const owner = controllerName(object, "ReplicaSet");
        if (owner) this.enqueue("replicaset", namespace, owner);
        if (type === "DELETED") {
          this.kubelet.forget(uid);
          this.enqueue("unblock", namespace);
        } else this.enqueue("pod", namespace, name);
        const phase = (value: unknown): unknown => (isPlainObject(value) ? value.phase : undefined);
        if (type !== "MODIFIED" || phase(object.status) !== phase(event.previous?.status)) this.enqueue("quota", namespace);
        return;
      }
      case "ResourceQuota":
        this.enqueue("quota", namespace);
        if (type !== "MODIFIED" || !deepEqual(object.spec, event.previous?.spec)) this.enqueue("unblock", namespace);
        return;
      case "Service":
        if (type === "MODIFIED" && !deepEqual(object.spec, event.previous?.spec)) this.enqueue("quota", namespace);
        return;
    }
  }

  private dispatch(work: Work): void {
    switch (work.kind) {
      case "deployment":
        return this.deploymentController.sync(work.namespace, work.name);
      case "replicaset":
        return this.replicaSetController.sync(work.namespace, work.name);
      case "pod":
        return this.kubelet.sync(work.namespace, work.name);
      case "quota":
        return syncQuotas(this, work.namespace);
      case "orphans":
        return collectOrphans(this, work.namespace);
      case "unblock":
        // Quota was freed or raised: ReplicaSets that could not create pods try again now.
        for (const rs of this.store.view(replicaSets, work.namespace)) {
          const conditions = isPlainObject(rs.status) && Array.isArray(rs.status.conditions) ? rs.status.conditions : [];
          if (conditions.some((condition) => isPlainObject(condition) && condition.type === "ReplicaFailure"))
            this.enqueue("replicaset", work.namespace, rs.metadata.name);
        }
    }
  }

  private drain(): void {
    if (this.immediate) clearImmediate(this.immediate);
    this.immediate = undefined;
    if (this.draining || this.stopped) return;
    this.draining = true;
    try {
      let done = 0;
      for (let next = this.takeWork(); next; next = this.takeWork()) {
        const work = next;
        this.guard(() => this.dispatch(work));
        if (++done >= maxWorkPerDrain) {
          console.error(
            `[sandbox/k8s] ${this.store.cluster}: controller work does not converge; dropping ${this.queue.size + this.deploymentQueue.size} items`,
          );
          this.queue.clear();
          this.deploymentQueue.clear();
        }
      }
    } finally {
      this.draining = false;
    }
    this.checkSettled();
  }

  private takeWork(): Work | undefined {
    for (const queue of [this.queue, this.deploymentQueue]) {
      for (const [key, work] of queue) {
        queue.delete(key);
        return work;
      }
    }
    return undefined;
  }

  private guard(run: () => void): void {
    try {
      run();
    } catch (error) {
      // One object the controller cannot handle must not stop it for the whole cluster.
      console.error(`[sandbox/k8s] ${this.store.cluster}: controller step failed`, error);
    }
  }

  private checkSettled(): void {
    if (this.waiters.length === 0 || this.queue.size > 0 || this.deploymentQueue.size > 0 || this.immediate || this.draining) return;
    for (const timer of this.timers.values()) if (timer.kind === "transition") return;
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}

/** The running kubelet of each store, for the API server's pods/log (the controller may be started apart from the API server, as tests do). */
const kubelets = new WeakMap<ClusterStore, Kubelet>();

/** Where the API server reads a container's log; undefined when no controller runs on the store, as when no kubelet runs the pod. */
export function containerLogSource(store: ClusterStore): Pick<Kubelet, "containerLogs"> | undefined {
  return kubelets.get(store);
}

export function startController(store: ClusterStore, options: ControllerOptions = {}): RunningController {
  const controller = new Controller(store, options);
  kubelets.set(store, controller.kubelet);
  return {
    stop: () => {
      controller.stop();
      if (kubelets.get(store) === controller.kubelet) kubelets.delete(store);
    },
    settle: () => controller.settle(),
  };
}
