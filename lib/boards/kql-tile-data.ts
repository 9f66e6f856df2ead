// A KQL tile's data: the result (or error) the health poller stored for it
// (run-kql-tiles.ts), never a query of its own. A stored result of the tile's
// previous query (it was edited since) is not shown for the new one.
import { getPrisma } from "@/lib/db/client";
import type { KqlData } from "./board-snapshot";
import type { Tile } from "./tiles";
import { kqlQueryHash, kqlTileMinutes } from "./kql-schedule";

type KqlTile = Extract<Tile, { kind: "kql" }>;

/** Stale after two missed runs, plus a health cycle (the runs ride on it). */
export const kqlStaleSeconds = (pollSeconds: number) => 2 * kqlTileMinutes * 60 + pollSeconds;

export async function kqlTileData({ boardId, tile, pollSeconds }: { boardId: string; tile: KqlTile; pollSeconds: number }): Promise<KqlData> {
  const row = await getPrisma().boardKqlResult.findUnique({ where: { boardId_tileId: { boardId, tileId: tile.id } } });
  const empty: KqlData = {
    kind: "kql",
    asOf: null,
    staleAfterSeconds: kqlStaleSeconds(pollSeconds),
    workspace: tile.workspace,
    chart: tile.chart,
    columns: [],
    rows: [],
    truncated: false,
    ranAt: null,
  };
  if (!row || row.queryHash !== kqlQueryHash(tile)) return empty;
  return {
    ...empty,
    asOf: row.fetchedAt?.toISOString() ?? null,
    columns: row.columns as KqlData["columns"],
    rows: row.rows as unknown[][],
    truncated: row.truncated,
    ranAt: row.ranAt.toISOString(),
    ...(row.error !== null && { error: row.error }),
  };
}
