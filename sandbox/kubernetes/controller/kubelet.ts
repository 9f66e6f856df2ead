// The scheduler and the kubelets of the sandbox cluster: each pod is bound
// to a node, its sandbox starts, images are pulled and containers run,
// step by step on timers scaled by speed, with the events a real kubelet
// records. Image rules (images.ts) decide which pods fail and how.
import { randomBytes } from "node:crypto";
import { internString } from "../compact";
import { isPlainObject, timestamp, type KubeObject } from "../objects";
import type { ControllerContext } from "./context";
import {
  crashLines,
  logTime,
  readyLines,
  shutdownLines,
  startInstance,
  startupLines,
  type ContainerLogs,
  type LogRing,
  type LogWriter,
} from "./container-logs";
import { imageOutcome, imageSize, pullError } from "./images";
import { PodAddresses, schedulableNodes, type Node } from "./nodes";
import { isReady, type ContainerRun, type PodRun } from "./pod-run";
import { podStatus, scheduledStatus } from "./pod-status";
import { pods } from "./types";
import { managers, updateObject } from "./writes";

/** Cluster seconds each step takes at speed 1. */
const timing = { schedule: 0.05, sandbox: 0.3, pull: 1.0, start: 0.3, crash: 1.0, backOffNotice: 0.5, restart: 0.2, stop: 1.0 };
const initialBackOffSeconds = 10;
const maxBackOffSeconds = 300;

function backOffSeconds(attempt: number): number {
  return Math.min(maxBackOffSeconds, initialBackOffSeconds * 2 ** Math.max(0, attempt - 1));
}

function logWriter(run: PodRun, container: ContainerRun): LogWriter {
  const { name, image, port, outcome } = container;
  return { pod: run.name, namespace: run.namespace, container: name, image, port, crashes: outcome === "crashes" };
}

function firstPort(ports: unknown): number | undefined {
  const first = Array.isArray(ports) ? ports.find(isPlainObject) : undefined;
  return typeof first?.containerPort === "number" ? first.containerPort : undefined;
}

function containerId(): string {
  return `containerd://${randomBytes(32).toString("hex")}`;
}

export class Kubelet {
  private readonly runs = new Map<string, PodRun>();
  private readonly addresses = new PodAddresses();
  /** Pods bound to each node, for the scheduler's least-loaded choice (counting every run per pod was quadratic). */
  private readonly podsOnNode = new Map<string, number>();
  /** Images already on each node: a second pod there starts without pulling. */
  private readonly nodeImages = new Map<string, Set<string>>();

  constructor(private readonly ctx: ControllerContext) {}

  /** The cluster's Nodes now: the day's count can change while the sandbox runs. */
  private get nodes(): Node[] {
    return schedulableNodes(this.ctx.store);
  }

  /** Reacts to a pod's current state: starts running a new pod, or stops one being deleted. */
  sync(namespace: string, name: string): void {
    const pod = this.ctx.store.get(pods, namespace, name);
    if (!pod?.metadata.uid) return;
    let run = this.runs.get(pod.metadata.uid);
    if (!run) {
      run = this.adopt(pod);
      this.runs.set(run.uid, run);
      this.bind(run, run.node);
      if (!run.terminating) this.resume(run, pod);
    }
    if (pod.metadata.deletionTimestamp && !run.terminating) this.stop(run);
  }

  /** The pod is gone from the store: forget it and its timers. */
  forget(uid: string): void {
    const run = this.runs.get(uid);
    if (!run) return;
    this.ctx.cancel(`pod/${uid}`);
    for (const container of run.containers) this.ctx.cancel(`pod/${uid}/${container.name}`);
    this.runs.delete(uid);
    this.bind(run, undefined);
  }

  /** Moves the run's place in the per-node counts to `node`. */
  private bind(run: PodRun, node: string | undefined): void {
    if (run.counted) this.podsOnNode.set(run.counted, (this.podsOnNode.get(run.counted) ?? 1) - 1);
    run.counted = node;
    if (node) this.podsOnNode.set(node, (this.podsOnNode.get(node) ?? 0) + 1);
  }

  /** When the pod last turned Ready, for minReadySeconds; undefined when it is not ready. */
  readySince(pod: KubeObject): number | undefined {
    const run = pod.metadata.uid ? this.runs.get(pod.metadata.uid) : undefined;
    if (run) return isReady(run) ? run.readySince : undefined;
    const ready =
      isPlainObject(pod.status) && Array.isArray(pod.status.conditions)
        ? pod.status.conditions.find((condition) => isPlainObject(condition) && condition.type === "Ready")
        : undefined;
    if (!isPlainObject(ready) || ready.status !== "True") return undefined;
    const since = Date.parse(String(ready.lastTransitionTime));
    return Number.isFinite(since) ? since : undefined;
  }

  /** Graceful deletion, as `kubectl delete pod` or a scale-down asks: Terminating, then gone. */
  delete(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) return;
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const grace = typeof spec.terminationGracePeriodSeconds === "number" ? spec.terminationGracePeriodSeconds : 30;
    const marked = {
      ...pod,
      metadata: { ...pod.metadata, deletionTimestamp: timestamp(new Date(this.ctx.now() + grace * 1000)), deletionGracePeriodSeconds: grace },
    };
    const stored = updateObject(this.ctx, pods, pod, marked, managers.controllerManager);
    this.sync(stored.metadata.namespace ?? "", stored.metadata.name ?? "");
  }

  private adopt(pod: KubeObject): PodRun {
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const status = isPlainObject(pod.status) ? pod.status : {};
    const previous = Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isPlainObject) : [];
    const containers: ContainerRun[] = (Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : []).map((container) => {
      const image = String(container.image ?? "");
      const probe = isPlainObject(container.readinessProbe) ? container.readinessProbe : undefined;
      const before = previous.find((item) => item.name === container.name);
      return {
        name: internString(String(container.name ?? "")),
        image: internString(image),
        imagePullPolicy: internString(String(container.imagePullPolicy ?? "IfNotPresent")),
        outcome: imageOutcome(image, this.ctx.knownRegistries),
        state: { kind: "creating" },
        restartCount: typeof before?.restartCount === "number" ? before.restartCount : 0,
        pullFailures: 0,
        hasReadinessProbe: probe !== undefined,
        readinessDelaySeconds: probe ? (typeof probe.initialDelaySeconds === "number" ? probe.initialDelaySeconds : 0) + 1 : 0,
        port: firstPort(container.ports),
        logs: {},
      };
    });
    const node = this.nodes.find((candidate) => candidate.name === spec.nodeName);
    return {
      // Interned: the stored pod and its events hold the same strings.
      uid: internString(pod.metadata.uid ?? ""),
      namespace: internString(pod.metadata.namespace ?? ""),
      name: internString(pod.metadata.name ?? ""),
      node: node?.name,
      hostIp: typeof status.hostIP === "string" ? status.hostIP : node?.ip,
      podIp: typeof status.podIP === "string" ? status.podIP : undefined,
      startTime: typeof status.startTime === "string" ? status.startTime : undefined,
      sandboxReady: false,
      terminating: false,
      containers,
    };
  }

  /** Picks up a pod where it is: a new one is scheduled; one from before a restart runs again (steady pods stay as they are). */
  private resume(run: PodRun, pod: KubeObject): void {
    if (!run.node) {
      this.step(run, timing.schedule, () => this.schedule(run));
      return;
    }
    const status = isPlainObject(pod.status) ? pod.status : {};
    const steady = status.phase === "Running" && run.containers.every((container) => container.outcome === "runs");
    const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses.filter(isPlainObject) : [];
    if (steady && statuses.length === run.containers.length && statuses.every((item) => item.ready === true)) {
      run.sandboxReady = true;
      for (const container of run.containers) {
        const item = statuses.find((candidate) => candidate.name === container.name);
        const running = isPlainObject(item?.state) && isPlainObject(item.state.running) ? item.state.running : {};
        container.state = { kind: "running", startedAt: String(running.startedAt ?? this.now()), ready: true };
        container.containerId = typeof item?.containerID === "string" ? item.containerID : containerId();
        // The node's log files did not survive the sandbox's restart; the start-up lines are written again, at the time it started.
        const startedAt = Date.parse(container.state.startedAt);
        this.write(startInstance(container.logs), startupLines(logWriter(run, container), Number.isFinite(startedAt) ? startedAt : this.ctx.now()));
      }
      run.readySince = this.readySinceFromStatus(status);
      return;
    }
    this.step(run, timing.sandbox, () => this.startSandbox(run));
  }

  private readySinceFromStatus(status: Record<string, unknown>): number | undefined {
    const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isPlainObject) : [];
    const since = Date.parse(String(conditions.find((condition) => condition.type === "Ready")?.lastTransitionTime));
    return Number.isFinite(since) ? since : this.ctx.now();
  }

  private schedule(run: PodRun): void {
    const pod = this.current(run);
    if (!pod) return;
    const load = (node: Node): number => this.podsOnNode.get(node.name) ?? 0;
    const node = [...this.nodes].sort((a, b) => load(a) - load(b) || a.index - b.index)[0];
    if (!node) return;
    run.node = node.name;
    this.bind(run, node.name);
    run.hostIp = node.ip;
    const spec = isPlainObject(pod.spec) ? pod.spec : {};
    const status = isPlainObject(pod.status) ? pod.status : {};
    const bound = updateObject(
      this.ctx,
      pods,
      pod,
      { ...pod, spec: { ...spec, nodeName: node.name }, status: scheduledStatus(status, this.now()) },
      managers.scheduler,
    );
    this.ctx.events.record(bound, "Normal", "Scheduled", `Successfully assigned ${run.namespace}/${run.name} to ${node.name}`, {
      component: "default-scheduler",
    });
    this.step(run, timing.sandbox, () => this.startSandbox(run));
  }

  private startSandbox(run: PodRun): void {
    const node = this.nodes.find((candidate) => candidate.name === run.node);
    if (!node) return;
    run.sandboxReady = true;
    run.startTime ??= this.now();
    run.podIp ??= this.addresses.allocate(node);
    this.writeStatus(run);
    for (const container of run.containers) this.pull(run, container);
  }

  private pull(run: PodRun, container: ContainerRun): void {
    const images = this.nodeImages.get(run.node ?? "") ?? new Set<string>();
    if (container.outcome !== "pullFails" && container.imagePullPolicy !== "Always" && images.has(container.image)) {
      this.kubeletEvent(run, container, "Normal", "Pulled", `Container image "${container.image}" already present on machine`);
      this.containerStep(run, container, timing.start, "transition", () => this.start(run, container));
      return;
    }
    container.state = { kind: "pulling" };
    this.kubeletEvent(run, container, "Normal", "Pulling", `Pulling image "${container.image}"`);
    this.containerStep(run, container, timing.pull, "transition", () => this.pulled(run, container));
  }

  private pulled(run: PodRun, container: ContainerRun): void {
    if (container.outcome === "pullFails") {
      container.pullFailures += 1;
      container.state = { kind: "errImagePull" };
      this.writeStatus(run);
      this.kubeletEvent(run, container, "Warning", "Failed", `Failed to pull image "${container.image}": ${pullError(container.image)}`);
      this.kubeletEvent(run, container, "Warning", "Failed", "Error: ErrImagePull");
      this.containerStep(run, container, timing.backOffNotice, "transition", () => this.pullBackOff(run, container));
      return;
    }
    const images = this.nodeImages.get(run.node ?? "") ?? new Set<string>();
    images.add(container.image);
    this.nodeImages.set(run.node ?? "", images);
    const took = `${timing.pull.toFixed(3)}s`;
    this.kubeletEvent(
      run,
      container,
      "Normal",
      "Pulled",
      `Successfully pulled image "${container.image}" in ${took} (${took} including waiting). Image size: ${imageSize(container.image)} bytes.`,
    );
    this.containerStep(run, container, timing.start, "transition", () => this.start(run, container));
  }

  private pullBackOff(run: PodRun, container: ContainerRun): void {
    container.state = { kind: "imagePullBackOff" };
    this.writeStatus(run);
    this.kubeletEvent(run, container, "Normal", "BackOff", `Back-off pulling image "${container.image}"`);
    this.kubeletEvent(run, container, "Warning", "Failed", "Error: ImagePullBackOff");
    this.containerStep(run, container, backOffSeconds(container.pullFailures), "idle", () => this.pull(run, container));
  }

  private start(run: PodRun, container: ContainerRun): void {
    container.containerId = containerId();
    // A crashing process exits before its first readiness check passes, so it never counts as ready.
    const ready = container.outcome === "runs" && !container.hasReadinessProbe;
    container.state = { kind: "running", startedAt: this.now(), ready };
    this.write(startInstance(container.logs), startupLines(logWriter(run, container), this.ctx.now()));
    if (ready) this.write(container.logs.current, readyLines(this.ctx.now()));
    this.kubeletEvent(run, container, "Normal", "Created", `Created container: ${container.name}`);
    this.kubeletEvent(run, container, "Normal", "Started", `Started container ${container.name}`);
    this.markReadiness(run);
    this.writeStatus(run);
    if (container.outcome === "crashes") this.containerStep(run, container, timing.crash, "transition", () => this.crash(run, container));
    else if (!ready) this.containerStep(run, container, container.readinessDelaySeconds, "transition", () => this.becomeReady(run, container));
  }

  private becomeReady(run: PodRun, container: ContainerRun): void {
    if (container.state.kind !== "running") return;
    container.state = { ...container.state, ready: true };
    this.write(container.logs.current, readyLines(this.ctx.now()));
    this.markReadiness(run);
    this.writeStatus(run);
  }

  private crash(run: PodRun, container: ContainerRun): void {
    if (container.state.kind !== "running") return;
    const finishedAt = this.now();
    this.write(container.logs.current, crashLines(logWriter(run, container), this.ctx.now()));
    container.lastTerminated = { startedAt: container.state.startedAt, finishedAt, containerId: container.containerId ?? containerId() };
    container.state = { kind: "terminated", startedAt: container.state.startedAt, finishedAt };
    this.markReadiness(run);
    this.writeStatus(run);
    // The kubelet restarts a container at once after its first exit and backs off after later ones.
    if (container.restartCount === 0) this.containerStep(run, container, timing.restart, "transition", () => this.restart(run, container));
    else this.containerStep(run, container, timing.restart, "transition", () => this.crashLoopBackOff(run, container));
  }

  private crashLoopBackOff(run: PodRun, container: ContainerRun): void {
    const seconds = backOffSeconds(container.restartCount);
    container.state = { kind: "crashLoopBackOff", backOffSeconds: seconds };
    this.writeStatus(run);
    this.kubeletEvent(
      run,
      container,
      "Warning",
      "BackOff",
      `Back-off restarting failed container ${container.name} in pod ${run.name}_${run.namespace}(${run.uid})`,
    );
    this.containerStep(run, container, seconds, "idle", () => this.restart(run, container));
  }

  private restart(run: PodRun, container: ContainerRun): void {
    container.restartCount += 1;
    this.kubeletEvent(run, container, "Normal", "Pulled", `Container image "${container.image}" already present on machine`);
    this.start(run, container);
  }

  private stop(run: PodRun): void {
    run.terminating = true;
    for (const container of run.containers) {
      this.ctx.cancel(`pod/${run.uid}/${container.name}`);
      if (container.state.kind !== "running") continue;
      this.kubeletEvent(run, container, "Normal", "Killing", `Stopping container ${container.name}`);
      this.write(container.logs.current, shutdownLines(this.ctx.now()));
    }
    const running = run.containers.some((container) => container.state.kind === "running");
    this.step(run, running ? timing.stop : timing.restart, () => {
      const current = this.current(run);
      if (current) this.ctx.store.remove(pods, current.metadata.namespace, current.metadata.name ?? "");
      this.forget(run.uid);
    });
  }

  /**
   * A container's log as the kubelet keeps it, for the API server's pods/log;
   * undefined when this kubelet does not run the pod (yet).
   */
  containerLogs(uid: string, container: string): { logs: ContainerLogs; waitingReason?: string } | undefined {
    const item = this.runs.get(uid)?.containers.find((candidate) => candidate.name === container);
    if (!item) return undefined;
    const waiting: Partial<Record<ContainerRun["state"]["kind"], string>> = {
      creating: "ContainerCreating",
      pulling: "ContainerCreating",
      errImagePull: "ErrImagePull",
      imagePullBackOff: "ImagePullBackOff",
    };
    return { logs: item.logs, waitingReason: item.logs.current ? undefined : waiting[item.state.kind] };
  }

  private write(ring: LogRing | undefined, lines: string[]): void {
    const ms = this.ctx.now();
    for (const text of lines) ring?.append({ time: logTime(ms), text });
  }

  private markReadiness(run: PodRun): void {
    if (isReady(run)) run.readySince ??= this.ctx.now();
    else run.readySince = undefined;
  }

  private writeStatus(run: PodRun): void {
    const pod = this.current(run);
    if (!pod || run.terminating) return;
    const previous = isPlainObject(pod.status) ? pod.status : {};
    updateObject(this.ctx, pods, pod, { ...pod, status: podStatus(run, previous, this.now()) }, managers.kubelet, "status");
  }

  private kubeletEvent(run: PodRun, container: ContainerRun, type: "Normal" | "Warning", reason: string, message: string): void {
    const pod = this.current(run);
    if (pod) this.ctx.events.record(pod, type, reason, message, { component: "kubelet", host: run.node }, `spec.containers{${container.name}}`);
  }

  /** The stored pod, if it is still the one this run is for. */
  private current(run: PodRun): KubeObject | undefined {
    const pod = this.ctx.store.get(pods, run.namespace, run.name);
    return pod?.metadata.uid === run.uid ? pod : undefined;
  }

  private step(run: PodRun, seconds: number, action: () => void): void {
    this.ctx.after(`pod/${run.uid}`, this.ctx.scaled(seconds), "transition", () => {
      if (this.runs.get(run.uid) === run) action();
    });
  }

  private containerStep(run: PodRun, container: ContainerRun, seconds: number, kind: "transition" | "idle", action: () => void): void {
    this.ctx.after(`pod/${run.uid}/${container.name}`, this.ctx.scaled(seconds), kind, () => {
      if (this.runs.get(run.uid) === run && !run.terminating) action();
    });
  }

  private now(): string {
    return internString(timestamp(new Date(this.ctx.now())));
  }
}
