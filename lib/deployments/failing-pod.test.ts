import { describe, expect, it } from "vitest";
import { failingPod, podEvents } from "./failing-pod";
import type { RolloutEvent, RolloutPod } from "./rollout-state";

const pod = (name: string, change: Partial<RolloutPod> = {}): RolloutPod => ({ name, phase: "Running", ready: true, restarts: 0, updated: true, ...change });
const event = (reason: string, type = "Normal", object = "Pod/web-1"): RolloutEvent => ({ type, reason, message: reason, object, count: 1 });

describe("failingPod", () => {
  it("picks the new template's crash-looping pod over an old one and over ready pods", () => {
    const pods = [pod("old-1", { updated: false, waitingReason: "CrashLoopBackOff" }), pod("web-0"), pod("web-1", { waitingReason: "CrashLoopBackOff" })];
    expect(failingPod(pods, false)?.name).toBe("web-1");
  });

  it("counts a restarted pod that is not ready, and any not-ready new pod once the rollout failed", () => {
    expect(failingPod([pod("web-1", { ready: false, restarts: 2 })], false)?.name).toBe("web-1");
    expect(failingPod([pod("web-1", { ready: false })], false)).toBeUndefined();
    expect(failingPod([pod("web-1", { ready: false })], true)?.name).toBe("web-1");
    expect(failingPod([pod("web-1", { ready: false, phase: "Terminating", waitingReason: "CrashLoopBackOff" })], true)).toBeUndefined();
  });
});

describe("podEvents", () => {
  it("folds the kubelet's routine start-up events, never a Warning, and keeps other pods' events out", () => {
    const events = [
      event("Scheduled"),
      event("Pulled"),
      event("Created"),
      event("Started"),
      event("BackOff", "Warning"),
      event("Started", "Warning"),
      event("Killing"),
      event("BackOff", "Warning", "Pod/web-2"),
    ];
    const { notable, routine } = podEvents(events, "web-1");
    expect(routine.map((item) => item.reason)).toEqual(["Scheduled", "Pulled", "Created", "Started"]);
    expect(notable.map((item) => `${item.type} ${item.reason}`)).toEqual(["Warning BackOff", "Warning Started", "Normal Killing"]);
  });
});
