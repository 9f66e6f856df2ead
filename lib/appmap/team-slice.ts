// Pure: one team's part of a map, as `GET /api/v1/map?team=` serves it: the
// team's services, every node they call or are called by, the edges touching
// its services, and the declared-but-not-seen entries of its services. The
// worker stores it per team with each snapshot (decision 0049); the read cuts
// it from the fleet's snapshot only when no stored slice matches.
import type { DeclaredNotSeen, MapEdge, MapNode, Position } from "@/lib/appmap/types";

export type PlacedNode = MapNode & { position: Position };

export interface MapSlice {
  nodes: PlacedNode[];
  edges: MapEdge[];
  notSeen: DeclaredNotSeen[];
}

/** Nodes with their stored positions; a node the layout has not placed yet sits at the origin. */
export function placeNodes(nodes: readonly MapNode[], positions: Readonly<Record<string, Position>>): PlacedNode[] {
  return nodes.map((node) => ({ ...node, position: positions[node.id] ?? { x: 0, y: 0 } }));
}

/** The team's slice, in the map's own order of nodes and edges. */
export function teamSlice(map: MapSlice, team: string): MapSlice {
  const own = new Set(map.nodes.filter((node) => node.team?.slug === team).map((node) => node.id));
  const edges = map.edges.filter((edge) => own.has(edge.source) || own.has(edge.target));
  const kept = new Set([...own, ...edges.flatMap((edge) => [edge.source, edge.target])]);
  const nodes = map.nodes.filter((node) => kept.has(node.id));
  const ownSlugs = new Set(nodes.filter((node) => own.has(node.id)).map((node) => node.serviceSlug));
  return { nodes, edges, notSeen: map.notSeen.filter((entry) => ownSlugs.has(entry.from)) };
}

/** The teams that own a node of the map: those the worker stores a slice for. */
export function teamsOnMap(nodes: readonly MapNode[]): string[] {
  return [...new Set(nodes.flatMap((node) => (node.team ? [node.team.slug] : [])))].sort();
}
