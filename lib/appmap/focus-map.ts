// Pure: the map's search. Finds the node a person typed (id, service slug,
// name or role name; a unique partial match will do) and the nodes within N
// hops of it, calls followed in either direction. The page dims or hides the
// rest and fits the view to what is left.
import type { MapEdge, MapNode } from "@/lib/appmap/types";

export const focusHops = [1, 2, 3] as const;
export type FocusHops = (typeof focusHops)[number];

export interface MapFocus {
  query: string;
  hops: FocusHops;
  /** Hide the nodes outside the focus instead of dimming them. */
  only: boolean;
}

export type FocusResult = { found: true; centre: string; hops: FocusHops; nodeIds: Set<string> } | { found: false; message: string };

/** From the URL: `focus`, `hops` (1–3; 1 when absent or out of range), `only=1`. null without a search. */
export function parseMapFocus(params: { focus?: string; hops?: string; only?: string }): MapFocus | null {
  const query = (params.focus ?? "").trim();
  if (!query) return null;
  const hops = Number(params.hops);
  return { query, hops: (focusHops as readonly number[]).includes(hops) ? (hops as FocusHops) : 1, only: params.only === "1" };
}

function names(node: MapNode): string[] {
  return [node.id, node.serviceSlug, node.label, node.role, node.target].filter((name): name is string => Boolean(name)).map((name) => name.toLowerCase());
}

/** The node a search names: an exact match on any of its names first, else the only partial match. */
function findNode(nodes: readonly MapNode[], query: string): { node: MapNode } | { message: string } {
  const wanted = query.toLowerCase();
  const exact = nodes.filter((node) => names(node).includes(wanted));
  if (exact.length >= 1) return { node: exact.find((node) => node.kind === "service") ?? exact[0]! };
  const partial = nodes.filter((node) => names(node).some((name) => name.includes(wanted)));
  if (partial.length === 1) return { node: partial[0]! };
  if (partial.length > 1) {
    const shown = partial.slice(0, 5).map((node) => `"${node.serviceSlug ?? node.label}"`);
    return {
      message:
        `"${query}" matches ${partial.length} nodes on this map (${shown.join(", ")}${partial.length > 5 ? ", …" : ""}). ` +
        "Type more of the name, or a service's slug.",
    };
  }
  return {
    message:
      `No node on this map is called "${query}". Search by a service's name or slug, an App Insights role name or an external target; ` +
      "check the window, environment and filters, which may leave it out.",
  };
}

export function focusMap(map: { nodes: readonly MapNode[]; edges: readonly MapEdge[] }, focus: Pick<MapFocus, "query" | "hops">): FocusResult {
  const match = findNode(map.nodes, focus.query);
  if ("message" in match) return { found: false, message: match.message };
  const neighbours = new Map<string, string[]>();
  const link = (from: string, to: string) => neighbours.set(from, [...(neighbours.get(from) ?? []), to]);
  for (const edge of map.edges) {
    link(edge.source, edge.target);
    link(edge.target, edge.source);
  }
  const nodeIds = new Set([match.node.id]);
  let frontier = [match.node.id];
  for (let hop = 0; hop < focus.hops && frontier.length > 0; hop++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const other of neighbours.get(id) ?? []) {
        if (!nodeIds.has(other)) {
          nodeIds.add(other);
          next.push(other);
        }
      }
    }
    frontier = next;
  }
  return { found: true, centre: match.node.id, hops: focus.hops, nodeIds };
}
