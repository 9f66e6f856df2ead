// Node positions for the application map, computed in the worker and stored
// with the snapshot; the browser only draws them (decision 0024).
//
// A wall screen must not jump: once a map has positions, nodes keep them.
// Same topology → the stored positions as they are, no layout run. Nodes
// added → placed next to a neighbour that already has a place (or in a new
// column), without moving anyone; nodes gone → their positions dropped. Only
// a map with no stored position for any of its nodes gets a full elkjs
// layout, run in a worker thread (decision 0045) so it does not block the
// process's other jobs; it rejects with a MapLayoutError when elkjs fails,
// the thread dies or the layout runs past its time bound.
import { createHash } from "node:crypto";
import type { Position } from "@/lib/appmap/types";
import { layoutInThread, type ElkInput } from "@/lib/appmap/layout-thread-client";

export const nodeWidth = 200;
export const nodeHeight = 64;
const columnGap = 120;
const rowGap = 32;

export interface LayoutGraph {
  nodes: readonly { id: string }[];
  edges: readonly { source: string; target: string }[];
}

export interface StoredLayout {
  topologyKey: string;
  positions: Record<string, Position>;
}

export interface LayoutResult extends StoredLayout {
  method: "unchanged" | "incremental" | "full";
}

/** The same nodes and the same pairs of nodes give the same key, in any order. */
export function topologyKey(graph: LayoutGraph): string {
  const hash = createHash("sha256");
  for (const id of graph.nodes.map((node) => node.id).sort()) hash.update(`n:${id}\n`);
  for (const pair of [...new Set(graph.edges.map((edge) => `${edge.source}\u0000${edge.target}`))].sort()) hash.update(`e:${pair}\n`);
  return hash.digest("hex");
}

// Options measured in research §5: ~5 s for 2,000 nodes / 6,000 edges where the defaults take ~19 s.
const elkOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.nodePlacement.strategy": "SIMPLE",
  "elk.layered.crossingMinimization.strategy": "INTERACTIVE",
  "elk.edgeRouting": "POLYLINE",
  "elk.spacing.nodeNode": String(rowGap),
  "elk.layered.spacing.nodeNodeBetweenLayers": String(columnGap),
  "elk.separateConnectedComponents": "true",
};

/** The ELK graph of a full layout: nodes and edges sorted, so the same graph gives the same picture. */
export function elkInput(graph: LayoutGraph): ElkInput {
  const ids = graph.nodes.map((node) => node.id).sort();
  const known = new Set(ids);
  return {
    id: "map",
    layoutOptions: elkOptions,
    children: ids.map((id) => ({ id, width: nodeWidth, height: nodeHeight })),
    // Self-calls do not shape a layered layout; edges are sorted so the same graph gives the same picture.
    edges: [...graph.edges]
      .filter((edge) => edge.source !== edge.target && known.has(edge.source) && known.has(edge.target))
      .sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target))
      .map((edge, index) => ({ id: `e${index}`, sources: [edge.source], targets: [edge.target] })),
  };
}

function overlaps(positions: Record<string, Position>, candidate: Position): boolean {
  for (const position of Object.values(positions)) {
    if (Math.abs(position.x - candidate.x) < nodeWidth + columnGap / 2 && Math.abs(position.y - candidate.y) < nodeHeight + rowGap / 2) return true;
  }
  return false;
}

/** New nodes beside a placed neighbour (callees to the right, callers to the left), else in a column right of everything. */
function placeNew(graph: LayoutGraph, kept: Record<string, Position>, added: string[]): Record<string, Position> {
  const positions = { ...kept };
  const all = Object.values(kept);
  const rightEdge = Math.max(...all.map((position) => position.x)) + nodeWidth + columnGap;
  const top = Math.min(...all.map((position) => position.y));
  let freeColumnY = top;
  for (const id of added) {
    const callee = graph.edges.find((edge) => edge.target === id && edge.source !== id && positions[edge.source]);
    const caller = graph.edges.find((edge) => edge.source === id && edge.target !== id && positions[edge.target]);
    let candidate: Position;
    if (callee || caller) {
      const anchor = callee ? positions[callee.source]! : positions[caller!.target]!;
      candidate = { x: anchor.x + (callee ? 1 : -1) * (nodeWidth + columnGap), y: anchor.y };
      while (overlaps(positions, candidate)) candidate = { x: candidate.x, y: candidate.y + nodeHeight + rowGap };
    } else {
      candidate = { x: rightEdge, y: freeColumnY };
      while (overlaps(positions, candidate)) candidate = { x: candidate.x, y: candidate.y + nodeHeight + rowGap };
      freeColumnY = candidate.y + nodeHeight + rowGap;
    }
    positions[id] = candidate;
  }
  return positions;
}

export async function layoutMap(graph: LayoutGraph, previous: StoredLayout | null): Promise<LayoutResult> {
  const key = topologyKey(graph);
  if (previous && previous.topologyKey === key) return { topologyKey: key, positions: previous.positions, method: "unchanged" };
  const ids = graph.nodes.map((node) => node.id).sort();
  const kept: Record<string, Position> = {};
  for (const id of ids) if (previous?.positions[id]) kept[id] = previous.positions[id];
  if (Object.keys(kept).length === 0) {
    return { topologyKey: key, positions: ids.length ? await layoutInThread(elkInput(graph)) : {}, method: "full" };
  }
  const added = ids.filter((id) => !kept[id]);
  return { topologyKey: key, positions: added.length ? placeNew(graph, kept, added) : kept, method: "incremental" };
}
