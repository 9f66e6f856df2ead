import { describe, expect, it } from "vitest";
import { focusMap, parseMapFocus } from "@/lib/appmap/focus-map";
import type { MapEdge, MapNode } from "@/lib/appmap/types";

const service = (slug: string, label: string, role?: string): MapNode => ({
  id: `svc:${slug}`,
  kind: "service",
  label,
  team: null,
  serviceSlug: slug,
  ...(role && { role }),
  health: "healthy",
});
const edge = (source: string, target: string): MapEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  calls: 1,
  failedCalls: 0,
  failurePct: 0,
  avgMs: 1,
  p95Ms: 1,
  declaration: "declared",
  selfCall: source === target,
  stale: false,
});

// gateway → ingestion → workflow → package → ext:mongo ; scheduler → workflow (a caller of workflow) ; workflow ↔ cycle with delivery ; orphan alone.
const nodes: MapNode[] = [
  service("gateway", "API Gateway"),
  service("ingestion", "Ingestion", "fabrikam-ingestion"),
  service("workflow", "Workflow", "fabrikam-workflow"),
  service("package", "Package", "fabrikam-package"),
  service("delivery", "Delivery", "fabrikam-delivery"),
  service("scheduler", "Drone Scheduler", "fabrikam-dronescheduler"),
  service("orphan", "Orphan"),
  { id: "ext:mongodb:mongo-package", kind: "external", label: "mongo-package", team: null, dependencyType: "mongodb", target: "mongo-package", health: null },
  { id: "role:mystery", kind: "unknown", label: "mystery", team: null, role: "mystery", health: null },
];
const edges: MapEdge[] = [
  edge("svc:gateway", "svc:ingestion"),
  edge("svc:ingestion", "svc:workflow"),
  edge("svc:workflow", "svc:package"),
  edge("svc:package", "ext:mongodb:mongo-package"),
  edge("svc:scheduler", "svc:workflow"),
  edge("svc:workflow", "svc:delivery"),
  edge("svc:delivery", "svc:workflow"),
  edge("svc:delivery", "svc:delivery"),
];
const map = { nodes, edges };
const ids = (result: ReturnType<typeof focusMap>) => (result.found ? [...result.nodeIds].sort() : result.message);

describe("focusMap", () => {
  it("1 hop: the node, what it calls and what calls it, through cycles and self-calls", () => {
    expect(ids(focusMap(map, { query: "workflow", hops: 1 }))).toEqual(["svc:delivery", "svc:ingestion", "svc:package", "svc:scheduler", "svc:workflow"]);
  });

  it("2 and 3 hops reach further, in both directions, and stop at the graph's edge", () => {
    expect(ids(focusMap(map, { query: "ingestion", hops: 1 }))).toEqual(["svc:gateway", "svc:ingestion", "svc:workflow"]);
    expect(ids(focusMap(map, { query: "ingestion", hops: 2 }))).toEqual([
      "svc:delivery",
      "svc:gateway",
      "svc:ingestion",
      "svc:package",
      "svc:scheduler",
      "svc:workflow",
    ]);
    expect(ids(focusMap(map, { query: "ingestion", hops: 3 }))).toEqual([
      "ext:mongodb:mongo-package",
      "svc:delivery",
      "svc:gateway",
      "svc:ingestion",
      "svc:package",
      "svc:scheduler",
      "svc:workflow",
    ]);
  });

  it("finds a node by slug, name, role name, id or external target, ignoring case; a node with no edges is alone", () => {
    for (const query of ["package", "PACKAGE", "fabrikam-package", "svc:package"]) {
      const result = focusMap(map, { query, hops: 1 });
      expect(result.found && result.centre).toBe("svc:package");
    }
    const external = focusMap(map, { query: "mongo-package", hops: 1 });
    expect(external.found && external.centre).toBe("ext:mongodb:mongo-package");
    expect(ids(focusMap(map, { query: "mystery", hops: 2 }))).toEqual(["role:mystery"]);
    expect(ids(focusMap(map, { query: "Orphan", hops: 3 }))).toEqual(["svc:orphan"]);
  });

  it("a unique partial match is enough; several say which and ask for more", () => {
    const scheduler = focusMap(map, { query: "sched", hops: 1 });
    expect(scheduler.found && scheduler.centre).toBe("svc:scheduler");
    const many = focusMap(map, { query: "fabrikam", hops: 1 });
    expect(many).toEqual({
      found: false,
      message: expect.stringMatching(/^"fabrikam" matches 5 nodes on this map \(.*"ingestion".*\)\. Type more of the name/),
    });
  });

  it("an unknown node says so and what to search by", () => {
    const result = focusMap(map, { query: "nope", hops: 1 });
    expect(result).toEqual({ found: false, message: expect.stringMatching(/^No node on this map is called "nope"\. Search by a service's name or slug/) });
  });
});

describe("parseMapFocus", () => {
  it("reads focus, hops (1 to 3, else 1) and only from the URL; no search is null", () => {
    expect(parseMapFocus({})).toBeNull();
    expect(parseMapFocus({ focus: "  " })).toBeNull();
    expect(parseMapFocus({ focus: " workflow ", hops: "3", only: "1" })).toEqual({ query: "workflow", hops: 3, only: true });
    expect(parseMapFocus({ focus: "workflow", hops: "9" })).toEqual({ query: "workflow", hops: 1, only: false });
    expect(parseMapFocus({ focus: "workflow", hops: "two" })).toEqual({ query: "workflow", hops: 1, only: false });
  });
});
