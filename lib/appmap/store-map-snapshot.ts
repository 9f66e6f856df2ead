// Writes one map snapshot (a window, fleet-wide or one environment) and each
// team's slice of it in one transaction (decision 0049): a reader sees the new
// snapshot with its slices or the old one with its own, never a mix. The
// database stamps the snapshot with a new `version` on every write; the slices
// carry it, so a slice left from an older snapshot is never served.
//
// Raw SQL with each document passed as one JSON string: Prisma's own upsert
// took 0.5–1 s to turn a 2,000-node map into parameters (bench/map.ts).
import { getPrisma } from "@/lib/db/client";
import type { LayoutResult } from "@/lib/appmap/layout-map";
import { placeNodes, teamSlice, teamsOnMap } from "@/lib/appmap/team-slice";
import type { AppMap } from "@/lib/appmap/types";

/** Returns the stored snapshot's version. */
export async function storeMapSnapshot(input: { map: AppMap; scope: string; layout: LayoutResult; now: Date }): Promise<bigint> {
  const { map, scope, layout, now } = input;
  const window = map.window;
  const placed = { nodes: placeNodes(map.nodes, layout.positions), edges: map.edges, notSeen: map.notSeen };
  const slices = teamsOnMap(map.nodes).map((team) => ({ team, ...teamSlice(placed, team) }));
  const keepLaidOutAt = layout.method === "unchanged";
  return getPrisma().$transaction(async (tx) => {
    const [stored] = await tx.$queryRaw<{ version: bigint }[]>`
      INSERT INTO "AppMapSnapshot" ("window", environment, nodes, edges, "notSeen", sources, "topologyKey", positions, "layoutMethod", "laidOutAt", "builtAt")
      VALUES (${window}, ${scope}, ${JSON.stringify(map.nodes)}::json, ${JSON.stringify(map.edges)}::json, ${JSON.stringify(map.notSeen)}::json,
        ${JSON.stringify(map.sources)}::json, ${layout.topologyKey}, ${JSON.stringify(layout.positions)}::json, ${layout.method}, ${now}, ${now})
      ON CONFLICT ("window", environment) DO UPDATE SET
        nodes = EXCLUDED.nodes, edges = EXCLUDED.edges, "notSeen" = EXCLUDED."notSeen", sources = EXCLUDED.sources,
        "topologyKey" = EXCLUDED."topologyKey", positions = EXCLUDED.positions, "layoutMethod" = EXCLUDED."layoutMethod",
        "laidOutAt" = CASE WHEN ${keepLaidOutAt} THEN "AppMapSnapshot"."laidOutAt" ELSE EXCLUDED."laidOutAt" END, "builtAt" = EXCLUDED."builtAt"
      RETURNING version`;
    const version = stored!.version;
    await tx.$executeRaw`DELETE FROM "AppMapTeamSlice" WHERE "window" = ${window} AND environment = ${scope}`;
    if (slices.length) {
      await tx.$executeRaw`
        INSERT INTO "AppMapTeamSlice" ("window", environment, team, "snapshotVersion", nodes, edges, "notSeen")
        SELECT ${window}, ${scope}, slice.team, ${version}, slice.nodes::json, slice.edges::json, slice."notSeen"::json
        FROM unnest(${slices.map((slice) => slice.team)}::text[], ${slices.map((slice) => JSON.stringify(slice.nodes))}::text[],
          ${slices.map((slice) => JSON.stringify(slice.edges))}::text[], ${slices.map((slice) => JSON.stringify(slice.notSeen))}::text[])
          AS slice(team, nodes, edges, "notSeen")`;
    }
    return version;
  });
}
