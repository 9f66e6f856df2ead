// A map tile's summary: how many nodes and edges one team's slice (or the
// fleet's) of the application map has, which edges fail most and which nodes
// are unhealthy, read from the stored map snapshot through lib/appmap's own
// read (`getMap`), never a live query. The snapshot is rebuilt each health
// cycle, before the notice on which the board's screens get a new build
// (decision 0041). The edges are picked and ordered by the map's own marks
// (lib/appmap/map-marks.ts), so an edge the map shows "failing now" leads the
// tile too.
import type { SystemActor } from "@/lib/auth/permissions";
import { getMap } from "@/lib/appmap/get-map";
import { worstEdgeFirst } from "@/lib/appmap/map-marks";
import type { HealthState } from "@/lib/health/types";
import { AppError } from "@/lib/errors";
import type { MapData, MapNodeProblem } from "./board-snapshot";

const reader: SystemActor = { kind: "system", name: "Wall boards" };
const shownEdges = 5;
const shownNodes = 5;

const problemRank: Partial<Record<HealthState, number>> = { unhealthy: 0, degraded: 1 };

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
  const empty: MapData = {
    kind: "map",
    asOf: null,
    staleAfterSeconds,
    team,
    environment,
    window,
    nodes: 0,
    edges: 0,
    failingEdges: [],
    nodeProblems: [],
    sourceErrors: [],
  };
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
    .filter((edge) => edge.failedCalls > 0 || (edge.recent?.failedCalls ?? 0) > 0)
    .sort(worstEdgeFirst)
    .slice(0, shownEdges)
    .map((edge) => ({
      id: edge.id,
      source: label.get(edge.source) ?? edge.source,
      target: label.get(edge.target) ?? edge.target,
      calls: edge.calls,
      failedCalls: edge.failedCalls,
      failurePct: edge.failurePct,
      ...(edge.recent && { recent: edge.recent }),
      declaration: edge.declaration,
      stale: edge.stale,
    }));
  const nodeProblems = view.nodes
    .flatMap((node): MapNodeProblem[] =>
      node.health === "unhealthy" || node.health === "degraded" ? [{ id: node.id, label: node.label, health: node.health }] : [],
    )
    .sort((a, b) => problemRank[a.health]! - problemRank[b.health]! || a.label.localeCompare(b.label))
    .slice(0, shownNodes);
  return {
    ...empty,
    asOf: view.builtAt,
    nodes: view.nodes.length,
    edges: view.edges.length,
    failingEdges,
    nodeProblems,
    sourceErrors: view.sources.filter((source) => source.error).map((source) => `${source.workspace}: ${source.error}`),
  };
}
