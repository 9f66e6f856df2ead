// A map tile's summary: how many nodes and edges one team's slice (or the
// fleet's) of the application map has and which edges fail most, read from
// the stored map snapshot through lib/appmap's own read (`getMap`), never a
// live query. The snapshot is rebuilt each health cycle.
import type { SystemActor } from "@/lib/auth/permissions";
import { getMap } from "@/lib/appmap/get-map";
import { AppError } from "@/lib/errors";
import type { MapData } from "./board-snapshot";

const reader: SystemActor = { kind: "system", name: "Wall boards" };
const shownEdges = 5;

export async function mapTileData({
  team,
  environment,
  window,
  staleAfterSeconds,
}: {
  team: string | null;
  environment: string | null;
  window: "1h" | "24h" | "7d";
  staleAfterSeconds: number;
}): Promise<MapData> {
  const empty: MapData = { kind: "map", asOf: null, staleAfterSeconds, team, environment, window, nodes: 0, edges: 0, failingEdges: [], sourceErrors: [] };
  let view;
  try {
    view = await getMap({ actor: reader, query: { window, ...(team && { team }), ...(environment && { environment }) } });
  } catch (error) {
    // An environment no cluster serves any more, a team deleted: said on the tile, the rest of the board unaffected.
    if (error instanceof AppError && error.code === "invalid_input") return { ...empty, error: error.message };
    throw error;
  }
  const label = new Map(view.nodes.map((node) => [node.id, node.label]));
  const failingEdges = view.edges
    .filter((edge) => edge.failedCalls > 0 && edge.failurePct !== null)
    .sort((a, b) => b.failurePct! - a.failurePct! || b.calls - a.calls || a.id.localeCompare(b.id))
    .slice(0, shownEdges)
    .map((edge) => ({
      source: label.get(edge.source) ?? edge.source,
      target: label.get(edge.target) ?? edge.target,
      calls: edge.calls,
      failedCalls: edge.failedCalls,
      failurePct: edge.failurePct!,
    }));
  return {
    ...empty,
    asOf: view.builtAt,
    nodes: view.nodes.length,
    edges: view.edges.length,
    failingEdges,
    sourceErrors: view.sources.filter((source) => source.error).map((source) => `${source.workspace}: ${source.error}`),
  };
}
