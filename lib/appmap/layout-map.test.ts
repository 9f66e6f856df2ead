import { describe, expect, it } from "vitest";
import { layoutMap, nodeHeight, nodeWidth, topologyKey, type LayoutGraph } from "@/lib/appmap/layout-map";

const graph: LayoutGraph = {
  nodes: ["svc:ingestion", "svc:workflow", "svc:delivery", "svc:package", "ext:SQL:db", "role:legacy"].map((id) => ({ id })),
  edges: [
    { source: "svc:ingestion", target: "svc:workflow" },
    { source: "svc:workflow", target: "svc:delivery" },
    { source: "svc:workflow", target: "svc:package" },
    { source: "svc:delivery", target: "svc:workflow" },
    { source: "svc:delivery", target: "svc:delivery" },
    { source: "svc:package", target: "ext:SQL:db" },
  ],
};

function noOverlap(positions: Record<string, { x: number; y: number }>) {
  const all = Object.entries(positions);
  for (const [i, [a, p]] of all.entries()) {
    for (const [b, q] of all.slice(i + 1)) {
      const apart = Math.abs(p.x - q.x) >= nodeWidth || Math.abs(p.y - q.y) >= nodeHeight;
      expect(apart, `${a} and ${b} overlap`).toBe(true);
    }
  }
}

describe("layoutMap", () => {
  it("lays a new map out in full with elkjs (cycles and self-calls included), every node placed, none overlapping", async () => {
    const layout = await layoutMap(graph, null);
    expect(layout.method).toBe("full");
    expect(Object.keys(layout.positions).sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    noOverlap(layout.positions);
    // Left to right: the caller before its callee where there is no cycle.
    expect(layout.positions["svc:ingestion"]!.x).toBeLessThan(layout.positions["svc:workflow"]!.x);
  });

  it("same topology, in any order: identical positions, and no layout run", async () => {
    const first = await layoutMap(graph, null);
    const shuffled: LayoutGraph = { nodes: [...graph.nodes].reverse(), edges: [...graph.edges].reverse() };
    expect(topologyKey(shuffled)).toBe(first.topologyKey);
    const again = await layoutMap(shuffled, first);
    expect(again).toEqual({ ...first, method: "unchanged" });
    // A full layout of the same graph from scratch is deterministic too.
    expect((await layoutMap(shuffled, null)).positions).toEqual(first.positions);
  });

  it("one added node: every old position unchanged, the new one beside its caller without overlapping", async () => {
    const first = await layoutMap(graph, null);
    const grown: LayoutGraph = { nodes: [...graph.nodes, { id: "svc:billing" }], edges: [...graph.edges, { source: "svc:delivery", target: "svc:billing" }] };
    const next = await layoutMap(grown, first);
    expect(next.method).toBe("incremental");
    expect(next.topologyKey).not.toBe(first.topologyKey);
    for (const [id, position] of Object.entries(first.positions)) expect(next.positions[id]).toEqual(position);
    expect(next.positions["svc:billing"]!.x).toBeGreaterThan(next.positions["svc:delivery"]!.x);
    noOverlap(next.positions);
  });

  it("an added node with no placed neighbour goes to a new column; a removed node takes nobody with it", async () => {
    const first = await layoutMap(graph, null);
    const changed: LayoutGraph = { nodes: [...graph.nodes.filter((node) => node.id !== "role:legacy"), { id: "role:lonely" }], edges: graph.edges };
    const next = await layoutMap(changed, first);
    expect(next.positions["role:legacy"]).toBeUndefined();
    for (const node of changed.nodes) if (node.id !== "role:lonely") expect(next.positions[node.id]).toEqual(first.positions[node.id]);
    const rightmost = Math.max(...Object.values(first.positions).map((position) => position.x));
    expect(next.positions["role:lonely"]!.x).toBeGreaterThan(rightmost);
    noOverlap(next.positions);
  });

  it("new edges between placed nodes change the key but move nothing", async () => {
    const first = await layoutMap(graph, null);
    const next = await layoutMap({ nodes: graph.nodes, edges: [...graph.edges, { source: "svc:ingestion", target: "ext:SQL:db" }] }, first);
    expect(next.method).toBe("incremental");
    expect(next.positions).toEqual(first.positions);
  });

  it("an empty map has no positions", async () => {
    expect(await layoutMap({ nodes: [], edges: [] }, null)).toMatchObject({ positions: {}, method: "full" });
  });
});
