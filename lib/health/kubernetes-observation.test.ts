// observeKubernetes on objects captured from the sandbox's controller
// (lib/deployments/__fixtures__/rollouts/, shaped as a cluster writes them).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { DeploymentJson, PodJson } from "@/lib/deployments/rollout-state";
import { observeKubernetes, RestartHistory, type LastRollout } from "@/lib/health/kubernetes-observation";

interface Capture {
  capturedAt: string;
  deployment: DeploymentJson;
  pods: PodJson[];
}

function capture(name: string): Capture {
  return JSON.parse(readFileSync(new URL(`../deployments/__fixtures__/rollouts/${name}.json`, import.meta.url), "utf8")) as Capture;
}

function observe(name: string, lastRollout: LastRollout | null = null, nowOffsetMs = 0) {
  const fixture = capture(name);
  const now = new Date(Date.parse(fixture.capturedAt) + nowOffsetMs);
  return observeKubernetes({ deployment: fixture.deployment, pods: fixture.pods, lastRollout, now, windowMinutes: 15, restarts: new RestartHistory() });
}

describe("observeKubernetes", () => {
  it("a finished rollout: replicas, the image's tag, no waiting pods", () => {
    const observation = observe("succeeded");
    expect(observation).toMatchObject({ desiredReplicas: 3, readyReplicas: 3, waiting: [], restarts: 0 });
    expect(observation.tag).toEqual(expect.any(String));
    expect(observation.rollout).toBeUndefined();
  });

  it("CrashLoopBackOff: the waiting pods and their restarts", () => {
    const observation = observe("crash-loop-back-off");
    expect(observation.waiting).toEqual([expect.objectContaining({ reason: "CrashLoopBackOff", pods: 1 })]);
    expect(observation.restarts).toBeGreaterThanOrEqual(3);
  });

  it("ImagePullBackOff: the waiting pod, no restarts", () => {
    const observation = observe("image-pull-back-off");
    expect(observation.waiting!.map((waiting) => waiting.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/ImagePullBackOff|ErrImagePull/)]));
    expect(observation.restarts).toBe(0);
  });

  it("a progress deadline exceeded on the Deployment is a failed rollout", () => {
    expect(observe("progress-deadline-exceeded").rollout).toMatchObject({ phase: "failed", reason: "ProgressDeadlineExceeded" });
  });

  it("Wharf's own record: a failed rollout, and one still going past the deadline", () => {
    const startedAt = new Date(Date.parse(capture("succeeded").capturedAt) - 20 * 60_000);
    expect(observe("succeeded", { status: "failed", reason: "CrashLoopBackOff", startedAt, finishedAt: startedAt, replicas: 3 }).rollout).toMatchObject({
      phase: "failed",
      reason: "CrashLoopBackOff",
    });
    expect(observe("rolling-update", { status: "progressing", reason: null, startedAt, finishedAt: null, replicas: 3 }).rollout).toMatchObject({
      phase: "progressing",
    });
    expect(
      observe("rolling-update", {
        status: "progressing",
        reason: null,
        startedAt: new Date(Date.parse(capture("rolling-update").capturedAt) - 60_000),
        finishedAt: null,
        replicas: 3,
      }).rollout,
    ).toBeUndefined();
  });

  it("after a failed rollout the version running is the old ReplicaSet's ready pods, not the failed new tag", () => {
    const startedAt = new Date(Date.parse(capture("crash-loop-back-off").capturedAt) - 20 * 60_000);
    const observation = observe("crash-loop-back-off", { status: "failed", reason: "CrashLoopBackOff", startedAt, finishedAt: startedAt, replicas: 3 });
    expect(observation).toMatchObject({
      tag: "1.4.2",
      image: "contoso.azurecr.io/payments/api:1.4.2",
      digest: "sha256:add617ffb6086d30a71ad4912eca7cd84aec52c53338b24318cbfebbdd165683",
    });
    expect(observation.rollout).toMatchObject({ phase: "failed", targetTag: "crash" });
    expect(observe("image-pull-back-off")).toMatchObject({ tag: "1.4.2" });
  });

  it("no pod ready (a first rollout that crashes): the version is the one the Deployment asks for", () => {
    expect(observe("progress-deadline-exceeded")).toMatchObject({ tag: "crash", image: "contoso.azurecr.io/payments/api:crash" });
  });

  it("a Deployment Wharf applied that the cluster no longer has: none of the recorded replicas are ready", () => {
    const observation = observeKubernetes({
      deployment: undefined,
      pods: [],
      lastRollout: { status: "succeeded", reason: null, startedAt: null, finishedAt: null, replicas: 2 },
      now: new Date(),
      windowMinutes: 15,
      restarts: new RestartHistory(),
    });
    expect(observation).toMatchObject({ desiredReplicas: 2, readyReplicas: 0 });
  });
});

describe("RestartHistory", () => {
  const pod = (restarts: number, created = "2026-12-04T10:00:00Z"): PodJson =>
    ({ metadata: { uid: "p1", creationTimestamp: created }, status: { containerStatuses: [{ name: "c", restartCount: restarts }] } }) as PodJson;
  const at = (minutes: number) => Date.parse("2026-12-04T12:00:00Z") + minutes * 60_000;

  it("counts restarts within the window from what it has seen, not the pod's lifetime total", () => {
    const history = new RestartHistory();
    const window = 15 * 60_000;
    expect(history.restartsInWindow(pod(10), at(0), window)).toBe(0);
    expect(history.restartsInWindow(pod(12), at(5), window)).toBe(2);
    expect(history.restartsInWindow(pod(12), at(16), window)).toBe(2);
    expect(history.restartsInWindow(pod(12), at(21), window)).toBe(0);
  });

  it("a pod younger than the window: all its restarts are in it", () => {
    expect(new RestartHistory().restartsInWindow(pod(4, "2026-12-04T11:55:00Z"), at(0), 15 * 60_000)).toBe(4);
  });
});
