// Pure: one service's hop of the map — what it calls and what calls it, as
// telemetry shows — held against what the catalog declares now (not when the
// snapshot was built, so a dependency just added to the catalog stops being
// "undeclared" at once).
import { serviceNodeId } from "@/lib/appmap/build-map";
import type { DeclaredNotSeen, MapEdge, MapNode } from "@/lib/appmap/types";

export interface Neighbour {
  node: MapNode;
  edge: MapEdge;
  /** Service ↔ service: whether the caller's catalog entry declares the callee; null for external or unknown nodes. */
  declared: boolean | null;
}

export interface ServiceNeighbours {
  /** The service's own node; null when the map has none (no telemetry in scope). */
  node: MapNode | null;
  talksTo: Neighbour[];
  calledBy: Neighbour[];
  /** Services this one declares but has not been seen calling in 7 days. */
  notSeen: string[];
  /** Services that declare this one but have not been seen calling it in 7 days. */
  notSeenBy: string[];
}

export interface CatalogDeclarations {
  /** Slugs of the services this service declares it depends on. */
  declares: readonly string[];
  /** Slugs of the services that declare a dependency on this one. */
  declaredBy: readonly string[];
}

const byCalls = (a: Neighbour, b: Neighbour) => b.edge.calls - a.edge.calls || a.node.label.localeCompare(b.node.label);

export function serviceNeighbours(
  map: { nodes: readonly MapNode[]; edges: readonly MapEdge[]; notSeen: readonly DeclaredNotSeen[] },
  slug: string,
  catalog: CatalogDeclarations,
): ServiceNeighbours {
  const id = serviceNodeId(slug);
  const nodes = new Map(map.nodes.map((node) => [node.id, node]));
  const declares = new Set(catalog.declares);
  const declaredBy = new Set(catalog.declaredBy);
  const talksTo: Neighbour[] = [];
  const calledBy: Neighbour[] = [];
  for (const edge of map.edges) {
    if (edge.source === id) {
      const node = nodes.get(edge.target);
      if (!node) continue;
      talksTo.push({ node, edge, declared: node.serviceSlug ? node.serviceSlug === slug || declares.has(node.serviceSlug) : null });
    }
    if (edge.target === id && edge.source !== id) {
      const node = nodes.get(edge.source);
      if (!node) continue;
      calledBy.push({ node, edge, declared: node.serviceSlug ? declaredBy.has(node.serviceSlug) : null });
    }
  }
  return {
    node: nodes.get(id) ?? null,
    talksTo: talksTo.sort(byCalls),
    calledBy: calledBy.sort(byCalls),
    notSeen: map.notSeen.filter((entry) => entry.from === slug && declares.has(entry.to)).map((entry) => entry.to),
    notSeenBy: map.notSeen.filter((entry) => entry.to === slug && declaredBy.has(entry.from)).map((entry) => entry.from),
  };
}
