import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { rolloutState, type RolloutObservation } from "./rollout-state";

interface Fixture extends RolloutObservation {
  description: string;
  capturedAt: string;
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/rollouts/${name}.json`, import.meta.url), "utf8")) as Fixture;
}

function at(capture: Fixture, secondsLater = 0): { now: number } {
  return { now: Date.parse(capture.capturedAt) + secondsLater * 1000 };
}

describe("rolloutState from the sandbox controller's objects", () => {
  it("succeeded: every replica updated and available", () => {
    const capture = fixture("succeeded");
    const state = rolloutState(capture, at(capture));
    expect(state).toMatchObject({
      phase: "succeeded",
      message: "Rolled out: 3 of 3 replicas updated and available.",
      desired: 3,
      updated: 3,
      ready: 3,
      available: 3,
    });
    expect(state.reason).toBeUndefined();
    expect(state.pods).toHaveLength(3);
    for (const pod of state.pods) expect(pod).toMatchObject({ phase: "Running", ready: true, restarts: 0, updated: true });
    expect(state.events.map((event) => event.reason)).toEqual(expect.arrayContaining(["ScalingReplicaSet", "SuccessfulCreate", "Pulled", "Started"]));
  });

  it("a rolling update under way is progressing, with old pods still serving and told apart from the new", () => {
    const capture = fixture("rolling-update");
    const state = rolloutState(capture, at(capture));
    expect(state.phase).toBe("progressing");
    expect(state.message).toMatch(/^Waiting for the rollout to finish: /);
    expect(state.pods.filter((pod) => !pod.updated).length).toBeGreaterThan(0);
    expect(state.pods.filter((pod) => pod.updated).length).toBe(state.updated);
    // Events about the old ReplicaSet's pods are history, not this rollout.
    const oldPods = new Set(state.pods.filter((pod) => !pod.updated).map((pod) => `Pod/${pod.name}`));
    expect(state.events.filter((event) => oldPods.has(event.object))).toEqual([]);
  });

  it("leaves out the events of earlier rollouts of the same Deployment, by when this one was applied", () => {
    const capture = fixture("rolling-update");
    const name = capture.deployment.metadata!.name!;
    const deploymentEvent = (message: string, secondsBefore: number) => ({
      type: "Normal",
      reason: "ScalingReplicaSet",
      message,
      involvedObject: { kind: "Deployment", name },
      count: 1,
      lastTimestamp: new Date(Date.parse(capture.capturedAt) - secondsBefore * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
    });
    const since = Date.parse(capture.capturedAt) - 60_000;
    const observation = {
      ...capture,
      events: [...(capture.events ?? []), deploymentEvent("an hour ago, the revision before", 3600), deploymentEvent("in the same second as the apply", 61)],
    };
    const messages = rolloutState(observation, { ...at(capture), since }).events.map((event) => event.message);
    expect(messages).not.toContain("an hour ago, the revision before");
    expect(messages).toContain("in the same second as the apply");
    expect(rolloutState(observation, at(capture)).events.map((event) => event.message)).toContain("an hour ago, the revision before");
  });

  it("ImagePullBackOff in a new pod fails the rollout at once, while the old pods keep serving", () => {
    const capture = fixture("image-pull-back-off");
    const state = rolloutState(capture, at(capture));
    expect(state).toMatchObject({ phase: "failed", reason: "ImagePullBackOff", desired: 3, available: 3 });
    expect(state.message).toMatch(
      /^Pod payments-api-[a-z0-9]+-[a-z0-9]+ cannot pull its image: Back-off pulling image "contoso.azurecr.io\/payments\/api:bad": ErrImagePull: rpc error: code = NotFound .*\. Check the tag exists in the registry, or deploy another tag\.$/,
    );
    expect(state.pods.find((pod) => pod.updated)).toMatchObject({ phase: "Pending", ready: false, waitingReason: "ImagePullBackOff" });
    expect(state.pods.filter((pod) => !pod.updated).every((pod) => pod.ready)).toBe(true);
    expect(state.events.filter((event) => event.type === "Warning").map((event) => event.message)).toEqual(
      expect.arrayContaining([
        "Error: ErrImagePull",
        "Error: ImagePullBackOff",
        expect.stringMatching(/^Failed to pull image "contoso.azurecr.io\/payments\/api:bad"/),
      ]),
    );
  });

  it("one crash is still progressing, named in the message", () => {
    const capture = fixture("crash-loop-first-restart");
    const state = rolloutState(capture, at(capture));
    expect(state.phase).toBe("progressing");
    expect(state.message).toMatch(/ Pod payments-api-[a-z0-9]+-[a-z0-9]+: CrashLoopBackOff after [12] restarts?\.$/);
  });

  it("three crashes fail the rollout as CrashLoopBackOff", () => {
    const capture = fixture("crash-loop-back-off");
    const state = rolloutState(capture, at(capture));
    expect(state).toMatchObject({ phase: "failed", reason: "CrashLoopBackOff" });
    expect(state.message).toMatch(
      /^Container payments-api of pod payments-api-[a-z0-9]+-[a-z0-9]+ keeps crashing: [3-9] restarts \(last exit code 1\)\. Read its logs, fix the cause, and deploy again or roll back\.$/,
    );
    expect(state.pods.find((pod) => pod.updated && pod.waitingReason === "CrashLoopBackOff")?.restarts).toBeGreaterThanOrEqual(3);
    expect(state.events.some((event) => event.reason === "BackOff" && event.type === "Warning")).toBe(true);
  });

  it("a stricter or looser crash threshold is the caller's choice", () => {
    const capture = fixture("crash-loop-first-restart");
    expect(rolloutState(capture, { ...at(capture), crashLoopRestarts: 1 }).reason).toBe("CrashLoopBackOff");
  });

  it("ProgressDeadlineExceeded fails the rollout with the controller's words and what the pods wait on", () => {
    const capture = fixture("progress-deadline-exceeded");
    const state = rolloutState(capture, at(capture));
    expect(state).toMatchObject({ phase: "failed", reason: "ProgressDeadlineExceeded", desired: 3, updated: 3, available: 0 });
    expect(state.message).toMatch(
      /^The rollout made no progress for 20 s: ReplicaSet "payments-api-[a-z0-9]+" has timed out progressing\. Pod payments-api-[a-z0-9-]+: /,
    );
  });

  it("FailedCreate from the quota is progressing within the grace, and failed after it", () => {
    const capture = fixture("failed-create-quota");
    const early = rolloutState(capture, at(capture));
    expect(early.phase).toBe("progressing");
    expect(early.message).toMatch(
      /Pod creation is failing and retried: pods "payments-api-[a-z0-9-]+" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2/,
    );

    const late = rolloutState(capture, at(capture, 61));
    expect(late).toMatchObject({ phase: "failed", reason: "FailedCreate", desired: 3, updated: 2, available: 2 });
    expect(late.message).toMatch(
      /^Kubernetes cannot create the new pods: pods "payments-api-[a-z0-9-]+" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2\. Lower the replicas or the resources, or ask for a larger quota\.$/,
    );
    expect(late.events.some((event) => event.reason === "FailedCreate" && event.object.startsWith("ReplicaSet/"))).toBe(true);
    expect(rolloutState(capture, { ...at(capture), failedCreateGraceSeconds: 0 }).reason).toBe("FailedCreate");
  });
});

describe("rolloutState as kubectl rollout status decides", () => {
  const base = fixture("succeeded");

  function withStatus(change: (observation: Fixture) => void): Fixture {
    const copy = structuredClone(base);
    change(copy);
    return copy;
  }

  it("waits while the new generation has not been observed", () => {
    const observation = withStatus((copy) => {
      copy.deployment.metadata!.generation = 2;
    });
    expect(rolloutState(observation, at(base))).toMatchObject({
      phase: "progressing",
      message: "Waiting for the Deployment controller to observe the new spec.",
    });
  });

  it("waits for new replicas to be updated, for old ones to go, then for the updated to be available", () => {
    expect(
      rolloutState(
        withStatus((copy) => void (copy.deployment.status!.updatedReplicas = 1)),
        at(base),
      ).message,
    ).toBe("Waiting for the rollout to finish: 1 of 3 new replicas updated.");
    expect(
      rolloutState(
        withStatus((copy) => void (copy.deployment.status!.replicas = 4)),
        at(base),
      ).message,
    ).toBe("Waiting for the rollout to finish: 1 old replica pending termination.");
    expect(
      rolloutState(
        withStatus((copy) => void (copy.deployment.status!.availableReplicas = 2)),
        at(base),
      ).message,
    ).toBe("Waiting for the rollout to finish: 2 of 3 updated replicas available.");
  });

  it("tells new pods from old by their images when no ReplicaSets are given", () => {
    const capture = fixture("image-pull-back-off");
    const state = rolloutState({ deployment: capture.deployment, pods: capture.pods }, at(capture));
    expect(state.reason).toBe("ImagePullBackOff");
    expect(state.pods.filter((pod) => pod.updated)).toHaveLength(1);
    expect(state.events).toEqual([]);
  });

  it("ignores an old pod's trouble: it is not this rollout's failure", () => {
    const capture = fixture("rolling-update");
    const old = capture.pods.find((pod) => !rolloutState(capture, at(capture)).pods.find((view) => view.name === pod.metadata?.name)?.updated);
    old!.status!.containerStatuses![0]!.state = { waiting: { reason: "CrashLoopBackOff" } };
    old!.status!.containerStatuses![0]!.restartCount = 7;
    expect(rolloutState(capture, at(capture)).phase).toBe("progressing");
  });
});
