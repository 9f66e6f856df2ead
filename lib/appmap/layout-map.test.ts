import { describe, expect, it } from "vitest";
import { groupsOf, layoutGroup, layoutMap, nodeHeight, nodeWidth, topologyKey, type LayoutGraph, type LayoutNode } from "@/lib/appmap/layout-map";
import type { Position } from "@/lib/appmap/types";

const service = (slug: string, team: string): LayoutNode => ({ id: `svc:${slug}`, kind: "service", team: { slug: team } });
const external = (type: string, target: string): LayoutNode => ({ id: `ext:${type}:${target}`, kind: "external", team: null, dependencyType: type });

const graph: LayoutGraph = {
  nodes: [
    service("ingestion", "drone"),
    service("workflow", "drone"),
    service("delivery", "drone"),
    service("package", "drone"),
    service("billing", "money"),
    service("invoice", "money"),
    external("SQL", "db"),
    external("SQL", "ledger"),
    external("Redis", "cache"),
    { id: "role:legacy", kind: "unknown", team: null },
  ],
  edges: [
    { source: "svc:ingestion", target: "svc:workflow" },
    { source: "svc:workflow", target: "svc:delivery" },
    { source: "svc:workflow", target: "svc:package" },
    // A cycle and a self-call.
    { source: "svc:delivery", target: "svc:workflow" },
    { source: "svc:delivery", target: "svc:delivery" },
    { source: "svc:package", target: "ext:SQL:db" },
    { source: "svc:delivery", target: "svc:billing" },
    { source: "svc:billing", target: "svc:invoice" },
    { source: "svc:invoice", target: "svc:billing" },
    { source: "svc:invoice", target: "ext:SQL:ledger" },
    { source: "svc:billing", target: "ext:Redis:cache" },
    { source: "role:legacy", target: "svc:billing" },
  ],
};

function noOverlap(positions: Record<string, Position>) {
  const all = Object.entries(positions);
  for (const [i, [a, p]] of all.entries()) {
    for (const [b, q] of all.slice(i + 1)) {
      const apart = Math.abs(p.x - q.x) >= nodeWidth || Math.abs(p.y - q.y) >= nodeHeight;
      expect(apart, `${a} and ${b} overlap`).toBe(true);
    }
  }
}

function box(positions: Record<string, Position>, ids: readonly string[]) {
  const placed = ids.map((id) => positions[id]!);
  return {
    left: Math.min(...placed.map((p) => p.x)),
    top: Math.min(...placed.map((p) => p.y)),
    right: Math.max(...placed.map((p) => p.x)) + nodeWidth,
    bottom: Math.max(...placed.map((p) => p.y)) + nodeHeight,
  };
}

/** Every external dependency right of every node that could call it (teams' services, unknown roles): calls read left to right. */
function rightOfCallers(graph: LayoutGraph, positions: Record<string, Position>) {
  const callers = graph.nodes.filter((node) => !layoutGroup(node).startsWith("ext:"));
  const externals = graph.nodes.filter((node) => layoutGroup(node).startsWith("ext:"));
  const callersRight = Math.max(...callers.map((node) => positions[node.id]!.x)) + nodeWidth;
  for (const node of externals) expect(positions[node.id]!.x, `${node.id} left of a caller`).toBeGreaterThan(callersRight);
}

describe("layout groups", () => {
  it("a team's services together, external dependencies by type, unknown roles and services with no team in one group", () => {
    expect(layoutGroup(service("billing", "money"))).toBe("team:money");
    expect(layoutGroup(external("SQL", "db"))).toBe("ext:SQL");
    expect(layoutGroup({ id: "ext-group:HTTP", kind: "external-group", team: null, dependencyType: "HTTP" })).toBe("ext:HTTP");
    expect(layoutGroup({ id: "role:legacy", kind: "unknown", team: null })).toBe("other");
    expect(layoutGroup({ id: "svc:orphan", kind: "service", team: null })).toBe("other");
    // Teams first, then the rest, then external dependencies; ids sorted in each, whatever the input's order.
    expect([...groupsOf([...graph.nodes].reverse())]).toEqual([
      ["team:drone", ["svc:delivery", "svc:ingestion", "svc:package", "svc:workflow"]],
      ["team:money", ["svc:billing", "svc:invoice"]],
      ["other", ["role:legacy"]],
      ["ext:Redis", ["ext:Redis:cache"]],
      ["ext:SQL", ["ext:SQL:db", "ext:SQL:ledger"]],
    ]);
  });

  it("a node moving to another team changes the topology key", () => {
    const moved: LayoutGraph = { nodes: graph.nodes.map((node) => (node.id === "svc:invoice" ? service("invoice", "drone") : node)), edges: graph.edges };
    expect(topologyKey(moved)).not.toBe(topologyKey(graph));
  });
});

describe("layoutMap", () => {
  it("lays a new map out group by group (cycles and self-calls included): every node placed, none overlapping, groups apart", async () => {
    const layout = await layoutMap(graph, null);
    expect(layout.method).toBe("full");
    expect(Object.keys(layout.positions).sort()).toEqual(graph.nodes.map((node) => node.id).sort());
    noOverlap(layout.positions);
    // Inside a team, left to right: the caller before its callee where there is no cycle.
    expect(layout.positions["svc:ingestion"]!.x).toBeLessThan(layout.positions["svc:workflow"]!.x);
    // Each group's nodes fill a box no other group's node is in.
    const groups = [...groupsOf(graph.nodes).values()];
    for (const ids of groups) {
      const area = box(layout.positions, ids);
      for (const other of groups.filter((group) => group !== ids).flat()) {
        const p = layout.positions[other]!;
        const inside = p.x + nodeWidth > area.left && p.x < area.right && p.y + nodeHeight > area.top && p.y < area.bottom;
        expect(inside, `${other} inside the box of ${ids.join(", ")}`).toBe(false);
      }
    }
    rightOfCallers(graph, layout.positions);
  });

  it("many external types: in columns right of every team, as tall as the teams' rows, the groups apart", async () => {
    const teams = Array.from({ length: 12 }, (_, t) => Array.from({ length: 4 }, (_, s) => service(`s${t}-${s}`, `team${t}`))).flat();
    const externals = Array.from({ length: 9 }, (_, t) => Array.from({ length: 6 }, (_, i) => external(`Type${t}`, `target${i}`))).flat();
    const big: LayoutGraph = {
      nodes: [...teams, ...externals],
      edges: teams.flatMap((node, i) => [
        ...(i % 4 === 3 ? [] : [{ source: node.id, target: teams[i + 1]!.id }]),
        { source: node.id, target: externals[(i * 7) % externals.length]!.id },
      ]),
    };
    const layout = await layoutMap(big, null);
    noOverlap(layout.positions);
    rightOfCallers(big, layout.positions);
    // The teams fill several rows, and the externals more than one column, none lower than the teams' rows end.
    const callers = box(
      layout.positions,
      teams.map((node) => node.id),
    );
    expect(new Set(teams.map((node) => layout.positions[node.id]!.y)).size).toBeGreaterThan(1);
    const columns = new Set(externals.map((node) => layout.positions[node.id]!.x));
    expect(columns.size).toBeGreaterThan(1);
    expect(
      box(
        layout.positions,
        externals.map((node) => node.id),
      ).bottom,
    ).toBeLessThanOrEqual(callers.bottom + nodeHeight);
    // Same graph, same picture.
    expect((await layoutMap({ nodes: [...big.nodes].reverse(), edges: big.edges }, null)).positions).toEqual(layout.positions);
  });

  it("a map of external dependencies only (a team's callers filtered out) packs them from the left", async () => {
    const only: LayoutGraph = { nodes: [external("SQL", "db"), external("Redis", "cache"), external("HTTP", "api")], edges: [] };
    const layout = await layoutMap(only, null);
    expect(Math.min(...Object.values(layout.positions).map((position) => position.x))).toBe(0);
    noOverlap(layout.positions);
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

  it("a node added in one team: no other node moves, the new one beside its caller in its team without overlapping", async () => {
    const first = await layoutMap(graph, null);
    const grown: LayoutGraph = {
      nodes: [...graph.nodes, service("refund", "money")],
      edges: [...graph.edges, { source: "svc:delivery", target: "svc:refund" }, { source: "svc:invoice", target: "svc:refund" }],
    };
    const next = await layoutMap(grown, first);
    expect(next.method).toBe("incremental");
    expect(next.topologyKey).not.toBe(first.topologyKey);
    for (const [id, position] of Object.entries(first.positions)) expect(next.positions[id]).toEqual(position);
    // Beside invoice (its own team's caller), not beside delivery (another team's).
    expect(next.positions["svc:refund"]!.x).toBeGreaterThan(next.positions["svc:invoice"]!.x);
    expect(next.positions["svc:refund"]!.y).toBeGreaterThanOrEqual(next.positions["svc:invoice"]!.y);
    noOverlap(next.positions);
  });

  it("an added node with no neighbour in its group goes under its group's nodes; a removed node takes nobody with it", async () => {
    const first = await layoutMap(graph, null);
    const changed: LayoutGraph = { nodes: [...graph.nodes.filter((node) => node.id !== "role:legacy"), service("lonely", "drone")], edges: graph.edges };
    const next = await layoutMap(changed, first);
    expect(next.positions["role:legacy"]).toBeUndefined();
    for (const node of changed.nodes) if (node.id !== "svc:lonely") expect(next.positions[node.id]).toEqual(first.positions[node.id]);
    const drone = box(first.positions, ["svc:delivery", "svc:ingestion", "svc:package", "svc:workflow"]);
    expect(next.positions["svc:lonely"]!.x).toBe(drone.left);
    expect(next.positions["svc:lonely"]!.y).toBeGreaterThanOrEqual(drone.bottom);
    noOverlap(next.positions);
  });

  it("a new team is laid out as a group right of everything, moving nobody", async () => {
    const first = await layoutMap(graph, null);
    const grown: LayoutGraph = {
      nodes: [...graph.nodes, service("radar", "sky"), service("tower", "sky")],
      edges: [
        ...graph.edges,
        { source: "svc:tower", target: "svc:radar" },
        { source: "svc:radar", target: "svc:radar" },
        { source: "svc:tower", target: "svc:billing" },
      ],
    };
    const next = await layoutMap(grown, first);
    expect(next.method).toBe("incremental");
    for (const [id, position] of Object.entries(first.positions)) expect(next.positions[id]).toEqual(position);
    const rightmost = Math.max(...Object.values(first.positions).map((position) => position.x)) + nodeWidth;
    expect(next.positions["svc:tower"]!.x).toBeGreaterThan(rightmost);
    expect(next.positions["svc:tower"]!.x).toBeLessThan(next.positions["svc:radar"]!.x);
    noOverlap(next.positions);
  });

  it("new edges between placed nodes change the key but move nothing", async () => {
    const first = await layoutMap(graph, null);
    const next = await layoutMap({ nodes: graph.nodes, edges: [...graph.edges, { source: "svc:ingestion", target: "ext:SQL:db" }] }, first);
    expect(next.method).toBe("incremental");
    expect(next.positions).toEqual(first.positions);
  });

  it("positions stored before grouped layout are laid out again in full, once", async () => {
    const grouped = await layoutMap(graph, null);
    const old = { topologyKey: "0f".repeat(32), positions: Object.fromEntries(graph.nodes.map((node, i) => [node.id, { x: 0, y: i * 100 }])) };
    const next = await layoutMap(graph, old);
    expect(next).toEqual(grouped);
    expect((await layoutMap(graph, next)).method).toBe("unchanged");
  });

  it("an empty map has no positions", async () => {
    expect(await layoutMap({ nodes: [], edges: [] }, null)).toMatchObject({ positions: {}, method: "full" });
  });
});
