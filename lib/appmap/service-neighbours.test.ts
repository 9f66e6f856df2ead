import { describe, expect, it } from "vitest";
import { serviceNeighbours } from "@/lib/appmap/service-neighbours";
import type { MapEdge, MapNode } from "@/lib/appmap/types";

const service = (slug: string, health: MapNode["health"] = "healthy"): MapNode => ({
  id: `svc:${slug}`,
  kind: "service",
  label: slug.toUpperCase(),
  team: { slug: "t", name: "T" },
  serviceSlug: slug,
  health,
});
const edge = (source: string, target: string, calls: number, failedCalls = 0): MapEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  calls,
  failedCalls,
  failurePct: Math.round((10_000 * failedCalls) / calls) / 100,
  avgMs: 3,
  p95Ms: 9,
  declaration: "undeclared",
  selfCall: source === target,
  stale: false,
});

const nodes: MapNode[] = [
  service("workflow"),
  service("package", "unhealthy"),
  service("delivery"),
  service("ingestion"),
  service("scheduler"),
  { id: "ext:mongodb:mongo", kind: "external", label: "mongo", team: null, dependencyType: "mongodb", target: "mongo", health: null },
  { id: "role:mystery", kind: "unknown", label: "mystery", team: null, role: "mystery", health: null },
];
const edges: MapEdge[] = [
  edge("svc:workflow", "svc:package", 100, 12),
  edge("svc:workflow", "svc:delivery", 300),
  edge("svc:workflow", "ext:mongodb:mongo", 50),
  edge("svc:workflow", "svc:workflow", 5),
  edge("svc:ingestion", "svc:workflow", 400),
  edge("role:mystery", "svc:workflow", 7),
  edge("svc:package", "ext:mongodb:mongo", 80),
];
const notSeen = [
  { from: "workflow", to: "scheduler" },
  { from: "workflow", to: "removed-since" },
  { from: "ingestion", to: "workflow" },
  { from: "ingestion", to: "package" },
];

describe("serviceNeighbours", () => {
  const hop = serviceNeighbours({ nodes, edges, notSeen }, "workflow", { declares: ["package", "scheduler"], declaredBy: [] });

  it("talks to: its callees by calls, with the edge's figures; a self-call is listed once, as declared", () => {
    expect(hop.node?.id).toBe("svc:workflow");
    expect(hop.talksTo.map((entry) => [entry.node.id, entry.edge.calls, entry.edge.failurePct])).toEqual([
      ["svc:delivery", 300, 0],
      ["svc:package", 100, 12],
      ["ext:mongodb:mongo", 50, 0],
      ["svc:workflow", 5, 0],
    ]);
    expect(hop.talksTo.find((entry) => entry.node.id === "svc:package")!.node.health).toBe("unhealthy");
  });

  it("called by: its callers, unknown roles included, never itself", () => {
    expect(hop.calledBy.map((entry) => entry.node.id)).toEqual(["svc:ingestion", "role:mystery"]);
  });

  it("declared from the catalog as it is now, not as the snapshot was built; external and unknown nodes are not applicable", () => {
    const declared = Object.fromEntries([...hop.talksTo, ...hop.calledBy].map((entry) => [entry.node.id, entry.declared]));
    expect(declared).toEqual({
      "svc:delivery": false,
      "svc:package": true,
      "ext:mongodb:mongo": null,
      "svc:workflow": true,
      "svc:ingestion": false,
      "role:mystery": null,
    });
    const later = serviceNeighbours({ nodes, edges, notSeen }, "workflow", { declares: ["package", "scheduler", "delivery"], declaredBy: ["ingestion"] });
    expect(later.talksTo.find((entry) => entry.node.id === "svc:delivery")!.declared).toBe(true);
    expect(later.calledBy.find((entry) => entry.node.id === "svc:ingestion")!.declared).toBe(true);
  });

  it("not seen: what it still declares and was not seen calling, and who still declares it without calling it", () => {
    expect(hop.notSeen).toEqual(["scheduler"]);
    expect(hop.notSeenBy).toEqual([]);
    expect(serviceNeighbours({ nodes, edges, notSeen }, "workflow", { declares: [], declaredBy: ["ingestion"] }).notSeenBy).toEqual(["ingestion"]);
  });

  it("a service with no node on the map: nothing observed, its declarations still not seen", () => {
    const quiet = serviceNeighbours({ nodes, edges, notSeen: [...notSeen, { from: "gateway", to: "ingestion" }] }, "gateway", {
      declares: ["ingestion"],
      declaredBy: [],
    });
    expect(quiet).toEqual({ node: null, talksTo: [], calledBy: [], notSeen: ["ingestion"], notSeenBy: [] });
  });
});
