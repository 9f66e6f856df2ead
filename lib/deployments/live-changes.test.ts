import { describe, expect, it } from "vitest";
import { renderDeployment } from "./render";
import { paymentsApi } from "./__fixtures__/services";
import { liveChanges } from "./live-changes";

const applied = renderDeployment(paymentsApi).deployment;
const copy = () => structuredClone(applied);

describe("liveChanges", () => {
  it("is empty when the cluster runs what Wharf applied, whatever spelling the API server gave the quantities", () => {
    const live = copy();
    const resources = live.spec.template.spec.containers[0]!.resources;
    expect([resources.limits.cpu, resources.requests.cpu, resources.requests.memory]).toEqual(["1", "250m", "256Mi"]);
    resources.limits.cpu = "1000m";
    resources.requests.cpu = "0.25";
    resources.requests.memory = "262144Ki";
    expect(liveChanges(applied, live)).toEqual([]);
  });

  it("names the replicas, image and resources changed by hand, each with both values", () => {
    const live = copy();
    live.spec.replicas = 7;
    const container = live.spec.template.spec.containers[0]!;
    container.image = "contoso.azurecr.io/payments/payments-api:hotfix";
    container.resources.requests.memory = "2Gi";
    const name = container.name;
    expect(liveChanges(applied, live)).toEqual([
      { field: "replicas", live: "7", applied: String(applied.spec.replicas) },
      { field: `image of ${name}`, live: "contoso.azurecr.io/payments/payments-api:hotfix", applied: applied.spec.template.spec.containers[0]!.image },
      { field: `memory request of ${name}`, live: "2Gi", applied: applied.spec.template.spec.containers[0]!.resources.requests.memory },
    ]);
  });

  it("says when a container was added or removed by hand", () => {
    const added = copy();
    added.spec.template.spec.containers.push({ ...added.spec.template.spec.containers[0]!, name: "debug", image: "busybox" });
    expect(liveChanges(applied, added)).toEqual([{ field: "container debug", live: "added (busybox)", applied: "none" }]);
    const removed = copy();
    removed.spec.template.spec.containers = [];
    expect(liveChanges(applied, removed)).toEqual([
      { field: `container ${applied.spec.template.spec.containers[0]!.name}`, live: "missing", applied: applied.spec.template.spec.containers[0]!.image },
    ]);
  });

  it("says when the Deployment is gone, or was there before Wharf deployed anything", () => {
    expect(liveChanges(applied, null, 4)).toEqual([{ field: "Deployment", live: "missing: deleted outside Wharf", applied: "present (revision 4)" }]);
    expect(liveChanges(null, applied)).toEqual([
      { field: "Deployment", live: `present, not deployed by Wharf (${applied.spec.template.spec.containers[0]!.image})`, applied: "nothing yet" },
    ]);
    expect(liveChanges(null, null)).toEqual([]);
  });
});
