// Pure: the page's filters that the snapshot does not split by (health, and
// which external dependency types to draw), applied to a map view.
import type { MapView } from "@/lib/appmap/get-map";
import { healthStates, type HealthState } from "@/lib/health/types";

export interface MapFilters {
  /** Keep services in these states (and everything they call or are called by); all when empty. */
  health: HealthState[];
  /** Keep external dependencies of these types only; all when empty. */
  types: string[];
}

/** Reads comma-separated lists from the URL, ignoring values that mean nothing. */
export function parseMapFilters(params: { health?: string; types?: string }): MapFilters {
  const list = (value?: string) =>
    (value ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean);
  return {
    health: list(params.health).filter((state): state is HealthState => (healthStates as readonly string[]).includes(state)),
    types: list(params.types),
  };
}

export function filterMap(view: MapView, filters: MapFilters): MapView {
  let nodes = view.nodes;
  if (filters.types.length)
    nodes = nodes.filter((node) => (node.kind !== "external" && node.kind !== "external-group") || filters.types.includes(node.dependencyType ?? ""));
  if (filters.health.length) {
    const matching = new Set(nodes.filter((node) => node.kind === "service" && node.health && filters.health.includes(node.health)).map((node) => node.id));
    const neighbours = new Set(
      view.edges.filter((edge) => matching.has(edge.source) || matching.has(edge.target)).flatMap((edge) => [edge.source, edge.target]),
    );
    nodes = nodes.filter((node) => matching.has(node.id) || neighbours.has(node.id));
  }
  const kept = new Set(nodes.map((node) => node.id));
  return { ...view, nodes, edges: view.edges.filter((edge) => kept.has(edge.source) && kept.has(edge.target)) };
}

/** The external dependency types on a map, for the filter's choices. */
export function externalTypes(view: MapView): string[] {
  return [...new Set(view.nodes.filter((node) => node.dependencyType).map((node) => node.dependencyType!))].sort();
}
