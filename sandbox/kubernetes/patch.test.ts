// Patch formats and selectors without HTTP: the directive handling kubectl's
// client-side apply depends on, and selector parsing edge cases.
import { describe, expect, it } from "vitest";
import { jsonPatch, mergePatch, strategicMerge } from "./patch";
import { labelSelectorObjectMatches, parseLabelSelector } from "./selectors";
import { KubeError } from "./status";

const deploymentType = { kind: "struct", typeName: "V1Deployment" } as const;

const live = {
  metadata: { name: "web", finalizers: ["a"] },
  spec: {
    strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } },
    template: {
      spec: {
        containers: [
          { name: "web", image: "web:1", ports: [{ containerPort: 80, protocol: "TCP" }], env: [{ name: "A", value: "1" }] },
          { name: "proxy", image: "proxy:1" },
        ],
      },
    },
  },
};

describe("strategic merge patch", () => {
  it("honours $setElementOrder, $retainKeys, $deleteFromPrimitiveList and $patch: replace", () => {
    const patch = {
      metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] },
      spec: {
        strategy: { $retainKeys: ["type"], type: "Recreate", rollingUpdate: null },
        template: {
          spec: { "$setElementOrder/containers": [{ name: "proxy" }, { name: "web" }], containers: [{ name: "web", env: [{ name: "B", value: "2" }] }] },
        },
      },
    };
    const result = strategicMerge(live, patch, deploymentType) as typeof live;
    expect(result.metadata.finalizers).toEqual([]);
    expect(result.spec.strategy).toEqual({ type: "Recreate" });
    expect(result.spec.template.spec.containers.map((container) => container.name)).toEqual(["proxy", "web"]);
    expect(result.spec.template.spec.containers[1]?.env).toEqual([
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
    const replaced = strategicMerge(
      live,
      { spec: { template: { spec: { containers: [{ $patch: "replace" }, { name: "only", image: "x" }] } } } },
      deploymentType,
    ) as typeof live;
    expect(replaced.spec.template.spec.containers).toEqual([{ name: "only", image: "x" }]);
  });

  it("refuses a keyed list item without its merge key", () => {
    expect(() => strategicMerge(live, { spec: { template: { spec: { containers: [{ image: "x" }] } } } }, deploymentType)).toThrow(KubeError);
  });
});

describe("merge and JSON patch", () => {
  it("merge patch replaces lists and deletes on null", () => {
    expect(mergePatch({ a: { b: 1, c: [1, 2] } }, { a: { b: null, c: [3] } })).toEqual({ a: { c: [3] } });
  });

  it("JSON patch adds, removes, tests and fails with 422 on a failed test", () => {
    expect(
      jsonPatch({ a: [1] }, [
        { op: "add", path: "/a/-", value: 2 },
        { op: "add", path: "/b", value: "x" },
        { op: "remove", path: "/a/0" },
        { op: "test", path: "/b", value: "x" },
      ]),
    ).toEqual({ a: [2], b: "x" });
    try {
      jsonPatch({ a: 1 }, [{ op: "test", path: "/a", value: 2 }]);
      expect.unreachable();
    } catch (error) {
      expect((error as KubeError).status).toMatchObject({ code: 422, reason: "Invalid" });
    }
  });
});

describe("label selectors", () => {
  it("parses the string forms the API server accepts", () => {
    expect(parseLabelSelector("a in (x, y),!b")({ a: "y" })).toBe(true);
    expect(parseLabelSelector("a notin (x)")({})).toBe(true);
    expect(parseLabelSelector("n>3")({ n: "4" })).toBe(true);
    expect(parseLabelSelector("")({})).toBe(true);
    expect(() => parseLabelSelector("a,,b")).toThrow(KubeError);
    expect(() => parseLabelSelector("bad key!=x")).toThrow(KubeError);
  });

  it("matches LabelSelector objects with matchExpressions", () => {
    const selector = {
      matchLabels: { app: "web" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["front"] },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    };
    expect(labelSelectorObjectMatches(selector, { app: "web", tier: "front" })).toBe(true);
    expect(labelSelectorObjectMatches(selector, { app: "web", tier: "front", legacy: "1" })).toBe(false);
  });
});
