// Unit: what approving changes against what runs now, field by field, from rendered manifests.
import { describe, expect, it } from "vitest";
import { productionDifference } from "./production-difference";
import { renderDeployment, type RenderDeploymentInput } from "./render";
import { smallDeploySpec } from "@/lib/test-support/deploy-spec";

const input: RenderDeploymentInput = {
  service: { slug: "orders", appInsightsRoleName: "orders", dependencies: [] },
  deploySpec: smallDeploySpec("contoso.azurecr.io/shop/orders", { replicas: 2 }),
  team: { slug: "shop" },
  namespace: { name: "shop-prod" },
  image: { tag: "1.0.0" },
  changeCause: "test",
  revision: 1,
};
const render = (change: Partial<RenderDeploymentInput> = {}, spec: Partial<RenderDeploymentInput["deploySpec"]> = {}) =>
  renderDeployment({ ...input, ...change, deploySpec: { ...input.deploySpec, ...spec } }).deployment;

describe("productionDifference", () => {
  it("lists nothing when only the revision and its change cause differ", () => {
    expect(productionDifference(render(), render({ revision: 2, changeCause: "again" }))).toEqual([]);
  });

  it("names the image (tag or digest), replicas, resources and probes that change, with both values", () => {
    const digest = `sha256:${"a".repeat(64)}`;
    const changes = productionDifference(render(), render({ image: { digest }, replicas: 4 }, { cpuLimit: "500m", readinessPath: "/readyz" }));
    expect(changes.map((change) => change.field)).toEqual(["image", "replicas", "limits.cpu", "probe.readiness"]);
    expect(changes[0]).toEqual({
      field: "image",
      label: "Image",
      now: "contoso.azurecr.io/shop/orders:1.0.0",
      next: `contoso.azurecr.io/shop/orders@${digest}`,
    });
    expect(changes[1]).toEqual({ field: "replicas", label: "Replicas", now: "2", next: "4" });
    expect(changes[2]).toEqual({ field: "limits.cpu", label: "CPU limit", now: "200m", next: "500m" });
  });

  it("shows configuration that is added or removed (environment), and everything for a first deployment", () => {
    const without = render({ service: { ...input.service, appInsightsRoleName: null } });
    const added = productionDifference(without, render());
    expect(added.filter((change) => change.field.startsWith("env."))).toEqual([
      expect.objectContaining({ now: null, next: "orders", label: expect.stringContaining("Environment") }),
    ]);
    expect(productionDifference(render(), without).filter((change) => change.field.startsWith("env."))).toEqual([expect.objectContaining({ next: null })]);
    const first = productionDifference(null, render());
    expect(first.every((change) => change.now === null)).toBe(true);
    expect(first.map((change) => change.field)).toEqual(expect.arrayContaining(["image", "replicas", "requests.cpu", "limits.memory", "ports"]));
  });
});
