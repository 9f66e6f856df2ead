// Writes one map snapshot (a window, fleet-wide or one environment) and each
// team's slice of it in one transaction (decision 0049): a reader sees the new
// snapshot with its slices or the old one with its own, never a mix. The
// database stamps the snapshot with a new `version` on every write; the slices
// carry it, so a slice left from an older snapshot is never served.
import type { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import type { LayoutResult } from "@/lib/appmap/layout-map";
import { placeNodes, teamSlice, teamsOnMap } from "@/lib/appmap/team-slice";
import type { AppMap } from "@/lib/appmap/types";

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** Returns the stored snapshot's version. */
export async function storeMapSnapshot(input: { map: AppMap; scope: string; layout: LayoutResult; now: Date }): Promise<bigint> {
  const { map, scope, layout, now } = input;
  const window = map.window;
  const data = {
    nodes: json(map.nodes),
    edges: json(map.edges),
    notSeen: json(map.notSeen),
    sources: json(map.sources),
    topologyKey: layout.topologyKey,
    positions: json(layout.positions),
    layoutMethod: layout.method,
    builtAt: now,
    ...(layout.method !== "unchanged" && { laidOutAt: now }),
  };
  const placed = { nodes: placeNodes(map.nodes, layout.positions), edges: map.edges, notSeen: map.notSeen };
  const slices = teamsOnMap(map.nodes).map((team) => ({ team, slice: teamSlice(placed, team) }));
  return getPrisma().$transaction(async (tx) => {
    const { version } = await tx.appMapSnapshot.upsert({
      where: { window_environment: { window, environment: scope } },
      create: { window, environment: scope, ...data, laidOutAt: now },
      update: data,
      select: { version: true },
    });
    await tx.appMapTeamSlice.deleteMany({ where: { window, environment: scope } });
    if (slices.length) {
      await tx.appMapTeamSlice.createMany({
        data: slices.map(({ team, slice }) => ({
          window,
          environment: scope,
          team,
          snapshotVersion: version,
          nodes: json(slice.nodes),
          edges: json(slice.edges),
          notSeen: json(slice.notSeen),
        })),
      });
    }
    return version;
  });
}
