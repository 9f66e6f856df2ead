// Node positions for the application map, computed in the worker and stored
// with the snapshot; the browser only draws them (decision 0024).
//
// Grouped layout (decision 0054): a team's services together, external
// dependencies by type, the rest (unknown roles, services with no team)
// together. elkjs lays each group out on its own (small graphs: its layered
// algorithm is superlinear, 24 s for the whole fleet as one graph, well under
// a second group by group), then the group boxes are packed: teams and the
// rest in rows, external types in columns right of them (decision 0061), so
// a call into an external dependency reads left to right; a node's position
// is its group's place plus its place in the group. Edges between groups are
// drawn by the browser between the placed nodes, not routed by elkjs.
//
// A wall screen must not jump: once a map has positions, nodes keep them.
// Same topology → the stored positions as they are, no layout run. Nodes
// added → each placed without moving anyone: beside a neighbour of its own
// group, else under its group's nodes; a group none of whose nodes has a
// place yet is laid out with elkjs and put right of everything. Nodes gone →
// their positions dropped. A map with no stored position for any of its
// nodes, or stored before grouping, gets a full layout. elkjs runs in a worker
// thread (decision 0045) so it does not block the process's other jobs; it
// rejects with a MapLayoutError when elkjs fails, the thread dies or the
// layout runs past its time bound.
import { createHash } from "node:crypto";
import type { MapNodeKind, Position } from "@/lib/appmap/types";
import { layoutInThread, type ElkInput } from "@/lib/appmap/layout-thread-client";

export const nodeWidth = 200;
export const nodeHeight = 64;
const columnGap = 120;
const rowGap = 32;
const groupGap = 160;

/** What the layout needs of a node: its id and what decides its group (a MapNode has all of it). */
export interface LayoutNode {
  id: string;
  kind?: MapNodeKind;
  team?: { slug: string } | null;
  dependencyType?: string;
}

export interface LayoutGraph {
  nodes: readonly LayoutNode[];
  edges: readonly { source: string; target: string }[];
}

export interface StoredLayout {
  topologyKey: string;
  positions: Record<string, Position>;
}

export interface LayoutResult extends StoredLayout {
  method: "unchanged" | "incremental" | "full";
}

/** The group a node is laid out in: `team:<slug>` for a team's services, `ext:<type>` for external dependencies, `other` for the rest. */
export function layoutGroup(node: LayoutNode): string {
  if (node.team) return `team:${node.team.slug}`;
  if ((node.kind === "external" || node.kind === "external-group") && node.dependencyType) return `ext:${node.dependencyType}`;
  return "other";
}

/** Keys of layouts made group by group; a stored key without it is from before decision 0054 and is laid out again in full. */
const keyPrefix = "grouped:";

/** The same nodes in the same groups and the same pairs of nodes give the same key, in any order. */
export function topologyKey(graph: LayoutGraph): string {
  const hash = createHash("sha256");
  for (const line of graph.nodes.map((node) => `${node.id}\u0000${layoutGroup(node)}`).sort()) hash.update(`n:${line}\n`);
  for (const pair of [...new Set(graph.edges.map((edge) => `${edge.source}\u0000${edge.target}`))].sort()) hash.update(`e:${pair}\n`);
  return keyPrefix + hash.digest("hex");
}

// Options measured in research §5: ~5 s for 2,000 nodes / 6,000 edges as one graph where the defaults take ~19 s.
const elkOptions = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.layered.nodePlacement.strategy": "SIMPLE",
  "elk.layered.crossingMinimization.strategy": "INTERACTIVE",
  "elk.edgeRouting": "POLYLINE",
  "elk.spacing.nodeNode": String(rowGap),
  "elk.layered.spacing.nodeNodeBetweenLayers": String(columnGap),
  "elk.separateConnectedComponents": "true",
  "elk.padding": "[top=0,left=0,bottom=0,right=0]",
};

/** Node ids by group, both sorted: services' teams first, then the rest, then external dependencies; the same graph gives the same picture. */
export function groupsOf(nodes: readonly LayoutNode[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const node of [...nodes].sort((a, b) => compare(a.id, b.id))) {
    const group = layoutGroup(node);
    const ids = groups.get(group);
    if (ids) ids.push(node.id);
    else groups.set(group, [node.id]);
  }
  const rank = (group: string) => (group.startsWith("team:") ? 0 : group === "other" ? 1 : 2);
  return new Map([...groups].sort(([a], [b]) => rank(a) - rank(b) || compare(a, b)));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The ELK graph of a set of nodes laid out as one (a group): nodes and edges sorted, so the same graph gives the same picture. */
export function elkInput(graph: LayoutGraph): ElkInput {
  const ids = graph.nodes.map((node) => node.id).sort(compare);
  const known = new Set(ids);
  return {
    id: "map",
    layoutOptions: elkOptions,
    children: ids.map((id) => ({ id, width: nodeWidth, height: nodeHeight })),
    // Self-calls do not shape a layered layout; edges are sorted so the same graph gives the same picture.
    edges: [...graph.edges]
      .filter((edge) => edge.source !== edge.target && known.has(edge.source) && known.has(edge.target))
      .sort((a, b) => compare(a.source, b.source) || compare(a.target, b.target))
      .map((edge, index) => ({ id: `e${index}`, sources: [edge.source], targets: [edge.target] })),
  };
}

/** One group's positions, its top-left corner at 0, 0: elkjs in the layout thread, or a grid for a group with no call inside it. */
async function layOutGroup(ids: readonly string[], edges: LayoutGraph["edges"]): Promise<Record<string, Position>> {
  const input = elkInput({ nodes: ids.map((id) => ({ id })), edges });
  if (input.edges.length === 0) {
    const columns = Math.max(1, Math.round(Math.sqrt(ids.length / 3)));
    return Object.fromEntries(
      input.children.map((child, i) => [child.id, { x: (i % columns) * (nodeWidth + columnGap), y: Math.floor(i / columns) * (nodeHeight + rowGap) }]),
    );
  }
  const laidOut = await layoutInThread(input);
  const box = boxOf(Object.values(laidOut));
  return Object.fromEntries(Object.entries(laidOut).map(([id, position]) => [id, { x: position.x - box.left, y: position.y - box.top }]));
}

/** External dependencies' groups (`ext:<type>`): they call nobody, so they go right of every group that calls them. */
const isExternalGroup = (group: string) => group.startsWith("ext:");

type LaidOutGroup = { ids: string[]; positions: Record<string, Position>; width: number; height: number };

/**
 * Lays each group out on its own, then packs the groups' boxes: teams and the rest in rows (shelves) about 1.6 times as
 * wide as tall, in `groupsOf`'s order; external types in columns right of them all (decision 0061), so every call into
 * one reads left to right. The calls between groups are drawn by the browser and shape nothing here.
 */
async function layOutGroups(graph: LayoutGraph): Promise<Record<string, Position>> {
  const groups = groupsOf(graph.nodes);
  const groupOfNode = new Map<string, string>();
  for (const [group, ids] of groups) for (const id of ids) groupOfNode.set(id, group);
  const inside = new Map<string, { source: string; target: string }[]>();
  for (const edge of graph.edges) {
    const group = groupOfNode.get(edge.source);
    if (group === undefined || group !== groupOfNode.get(edge.target)) continue;
    const edges = inside.get(group);
    if (edges) edges.push(edge);
    else inside.set(group, [edge]);
  }
  const callers: LaidOutGroup[] = [];
  const externals: LaidOutGroup[] = [];
  for (const [group, ids] of groups) {
    const positions = await layOutGroup(ids, inside.get(group) ?? []);
    const box = boxOf(Object.values(positions));
    (isExternalGroup(group) ? externals : callers).push({ ids, positions, width: box.right - box.left, height: box.bottom - box.top });
  }
  const positions: Record<string, Position> = {};
  const place = (group: LaidOutGroup, x: number, y: number) => {
    for (const id of group.ids) positions[id] = { x: x + group.positions[id]!.x, y: y + group.positions[id]!.y };
  };
  const area = (laidOut: readonly LaidOutGroup[]) => laidOut.reduce((sum, group) => sum + (group.width + groupGap) * (group.height + groupGap), 0);

  // Shelves: a row is filled left to right until the next group would pass the row's width.
  const rowWidth = Math.max(Math.sqrt(area(callers) * 1.6), ...callers.map((group) => group.width));
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  let right = 0;
  for (const group of callers) {
    if (x > 0 && x + group.width > rowWidth) {
      x = 0;
      y += rowHeight + groupGap;
      rowHeight = 0;
    }
    place(group, x, y);
    right = Math.max(right, x + group.width);
    x += group.width + groupGap;
    rowHeight = Math.max(rowHeight, group.height);
  }
  const callersHeight = callers.length ? y + rowHeight : 0;

  // Columns: filled top to bottom, as tall as the shelves (or, with few callers, as a 1.6:1 box of the externals would be).
  const columnHeight = Math.max(callersHeight, Math.sqrt(area(externals) / 1.6), ...externals.map((group) => group.height));
  x = callers.length ? right + groupGap : 0;
  y = 0;
  let columnWidth = 0;
  for (const group of externals) {
    if (y > 0 && y + group.height > columnHeight) {
      x += columnWidth + groupGap;
      y = 0;
      columnWidth = 0;
    }
    place(group, x, y);
    y += group.height + groupGap;
    columnWidth = Math.max(columnWidth, group.width);
  }
  return positions;
}

function overlaps(positions: Record<string, Position>, candidate: Position): boolean {
  for (const position of Object.values(positions)) {
    if (Math.abs(position.x - candidate.x) < nodeWidth + columnGap / 2 && Math.abs(position.y - candidate.y) < nodeHeight + rowGap / 2) return true;
  }
  return false;
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function boxOf(positions: readonly Position[]): Box {
  return {
    left: Math.min(...positions.map((position) => position.x)),
    top: Math.min(...positions.map((position) => position.y)),
    right: Math.max(...positions.map((position) => position.x)) + nodeWidth,
    bottom: Math.max(...positions.map((position) => position.y)) + nodeHeight,
  };
}

/**
 * Places the added nodes without moving a kept one. Groups with no kept node are laid out as a full layout would, and
 * put right of everything. A node of a group already on the map goes
 * beside a placed neighbour of its group (callees to the right, callers to the left), else under its group's nodes.
 */
async function placeNew(graph: LayoutGraph, kept: Record<string, Position>, added: readonly LayoutNode[]): Promise<Record<string, Position>> {
  const positions = { ...kept };
  const groupOfNode = new Map(graph.nodes.map((node) => [node.id, layoutGroup(node)]));
  const placedGroups = new Set(Object.keys(kept).map((id) => groupOfNode.get(id)));
  const newGroups = added.filter((node) => !placedGroups.has(layoutGroup(node)));
  if (newGroups.length) {
    const ids = new Set(newGroups.map((node) => node.id));
    const laidOut = await layOutGroups({ nodes: newGroups, edges: graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)) });
    const everything = boxOf(Object.values(kept));
    for (const [id, position] of Object.entries(laidOut)) positions[id] = { x: everything.right + groupGap + position.x, y: everything.top + position.y };
  }
  const rest = added.filter((node) => placedGroups.has(layoutGroup(node))).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const node of rest) {
    const group = layoutGroup(node);
    const sameGroup = (id: string) => id !== node.id && groupOfNode.get(id) === group && positions[id];
    const callee = graph.edges.find((edge) => edge.target === node.id && sameGroup(edge.source));
    const caller = graph.edges.find((edge) => edge.source === node.id && sameGroup(edge.target));
    let candidate: Position;
    if (callee || caller) {
      const anchor = callee ? positions[callee.source]! : positions[caller!.target]!;
      candidate = { x: anchor.x + (callee ? 1 : -1) * (nodeWidth + columnGap), y: anchor.y };
    } else {
      const box = boxOf(Object.entries(positions).flatMap(([id, position]) => (groupOfNode.get(id) === group ? [position] : [])));
      candidate = { x: box.left, y: box.bottom + rowGap };
    }
    while (overlaps(positions, candidate)) candidate = { x: candidate.x, y: candidate.y + nodeHeight + rowGap };
    positions[node.id] = candidate;
  }
  return positions;
}

export async function layoutMap(graph: LayoutGraph, previous: StoredLayout | null): Promise<LayoutResult> {
  const key = topologyKey(graph);
  if (previous && previous.topologyKey === key) return { topologyKey: key, positions: previous.positions, method: "unchanged" };
  const kept: Record<string, Position> = {};
  // Positions from before grouped layout are not kept: the map is laid out again, once, in groups.
  if (previous?.topologyKey.startsWith(keyPrefix)) {
    for (const node of graph.nodes) {
      const position = previous.positions[node.id];
      if (position) kept[node.id] = position;
    }
  }
  if (Object.keys(kept).length === 0) {
    return { topologyKey: key, positions: graph.nodes.length ? await layOutGroups(graph) : {}, method: "full" };
  }
  const added = graph.nodes.filter((node) => !kept[node.id]);
  return { topologyKey: key, positions: added.length ? await placeNew(graph, kept, added) : kept, method: "incremental" };
}
