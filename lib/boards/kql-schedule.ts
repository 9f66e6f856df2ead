// When a KQL tile's query runs and which stored result belongs to it; shared by
// the poller's step (run-kql-tiles.ts) and the snapshot's read (kql-tile-data.ts).
import { createHash } from "node:crypto";
import type { Tile } from "./tiles";

/** How often a tile's query runs: a wall chart needs minutes, not seconds, and each run counts against the workspace's query quota. */
export const kqlTileMinutes = 5;

/** Identifies what a stored result answers: an edited tile's old result is not shown for its new query. */
export function kqlQueryHash(tile: Pick<Extract<Tile, { kind: "kql" }>, "workspace" | "timespan" | "query">): string {
  return createHash("sha256").update(`${tile.workspace}\n${tile.timespan}\n${tile.query}`).digest("hex");
}
