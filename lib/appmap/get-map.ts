// The application map for a window, fleet-wide or for one environment,
// optionally narrowed to one team's services and their neighbours: read from
// the stored snapshot, never from Azure (a team's map from its stored slice,
// a whole map parsed once per version and process: decision 0049). Reading
// the map is like reading health: reading it takes `health:read`.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { mapWindows, type MapWindow } from "@/lib/health/queries";
import { fleetScope, mapRefreshId } from "@/lib/appmap/refresh-map";
import { readMapSnapshot, readTeamMap } from "@/lib/appmap/read-map-snapshot";
import type { PlacedNode } from "@/lib/appmap/team-slice";
import type { DeclaredNotSeen, MapEdge, MapSource } from "@/lib/appmap/types";

const windows = Object.keys(mapWindows) as [MapWindow, ...MapWindow[]];

export const mapQuery = z.object({
  window: z
    .enum(windows, { error: `window must be one of ${windows.join(", ")}.` })
    .default("1h")
    .describe("How far back the edges reach: 1h, 24h or 7d."),
  team: z.string().trim().min(1).max(40).optional().describe("A team slug: only its services and the nodes they call or are called by."),
  environment: z.string().trim().min(1).max(40).optional().describe("An environment (dev, test, prod, …); fleet-wide when absent."),
});

export type MapQuery = z.input<typeof mapQuery>;

export interface MapView {
  window: MapWindow;
  environment: string | null;
  team: string | null;
  /** When the snapshot was built (each health cycle) and laid out; null when no cycle has built it yet. */
  builtAt: string | null;
  laidOutAt: string | null;
  nodes: PlacedNode[];
  edges: MapEdge[];
  notSeen: DeclaredNotSeen[];
  sources: MapSource[];
  /** Set while the map's refreshes fail: the snapshot shown is the last good one. */
  refreshError: { message: string; since: string; lastAttemptAt: string } | null;
}

async function readRefreshError(): Promise<MapView["refreshError"]> {
  const row = await getPrisma().appMapRefresh.findUnique({ where: { id: mapRefreshId } });
  if (!row?.lastError || !row.failingSince) return null;
  return { message: row.lastError, since: row.failingSince.toISOString(), lastAttemptAt: row.lastAttemptAt.toISOString() };
}

export async function getMap(input: { actor: Actor; query: MapQuery }): Promise<MapView> {
  const { actor } = input;
  if (!can(actor, "health:read")) throw forbidden("health:read");
  const query = parseInput(mapQuery, input.query);
  const prisma = getPrisma();
  const scope = query.environment ?? fleetScope;
  const [team, stored, refreshError] = await Promise.all([
    query.team ? prisma.team.findUnique({ where: { slug: query.team }, select: { id: true } }) : null,
    query.team ? readTeamMap(query.window, scope, query.team) : readMapSnapshot(query.window, scope),
    readRefreshError(),
  ]);
  if (query.team && !team) {
    throw new AppError("invalid_input", `No team has the slug "${query.team}". Use a team slug from /api/v1/teams, or leave team out for every team.`, {
      path: ["team"],
    });
  }
  if (!stored && query.environment) {
    const known = await prisma.cluster.findFirst({ where: { environment: query.environment }, select: { id: true } });
    if (!known) {
      const environments = (
        await prisma.appMapSnapshot.findMany({ where: { environment: { not: fleetScope } }, distinct: ["environment"], select: { environment: true } })
      ).map((row) => row.environment);
      throw new AppError(
        "invalid_input",
        `No cluster serves the environment "${query.environment}". ` +
          (environments.length ? `Use one of ${environments.join(", ")}` : "Use an environment a cluster is tagged with") +
          ", or leave environment out for the whole fleet.",
        {
          path: ["environment"],
        },
      );
    }
  }
  const base = { window: query.window, environment: query.environment ?? null, team: query.team ?? null, refreshError };
  if (!stored) return { ...base, builtAt: null, laidOutAt: null, nodes: [], edges: [], notSeen: [], sources: [] };
  // Copies of the lists: a parsed snapshot is shared by this process's requests (its entries are frozen).
  return {
    ...base,
    builtAt: stored.builtAt.toISOString(),
    laidOutAt: stored.laidOutAt.toISOString(),
    nodes: [...stored.nodes],
    edges: [...stored.edges],
    notSeen: [...stored.notSeen],
    sources: [...stored.sources],
  };
}

/** The environments a map can be narrowed to: those some cluster is tagged with. */
export async function listMapEnvironments(input: { actor: Actor }): Promise<string[]> {
  if (!can(input.actor, "health:read")) throw forbidden("health:read");
  const rows = await getPrisma().cluster.findMany({
    where: { environment: { not: null } },
    distinct: ["environment"],
    select: { environment: true },
    orderBy: { environment: "asc" },
  });
  return rows.map((row) => row.environment!);
}
