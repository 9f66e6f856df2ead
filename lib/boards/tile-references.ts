// The teams and services a board's tiles name must exist when it is saved
// (a team archived later shows on the tile itself, see get-board-snapshot.ts).
// Cost is shown only to whom may read it: a cost tile of a team needs the
// saver to read that team's cost, one of everyone's needs an admin; a screen
// then shows what they chose to put on the wall. A KQL tile's workspace must be
// one Wharf discovered, and its query parse (Microsoft's parser,
// lib/boards/kql-query.ts; checked before the transaction, `checkKqlTiles`);
// on a team's board it must also read only the team's telemetry (decision 0067).
import { AppError } from "@/lib/errors";
import { can, platformAdminsPage, type Actor } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db/generated/client";
import type { Tile } from "./tiles";
import { checkKqlQuery } from "./kql-query";

/** A KQL tile's data: the same workspace and query read the same rows, whatever its place or chart. */
const kqlReads = (tile: Tile) => (tile.kind === "kql" ? `${tile.workspace}\u0000${tile.query}` : null);

/**
 * `previous`: the board's tiles before this save; `boardTeamId`: the board's team after it (null: a board for everyone). On a
 * board for everyone a KQL tile reads a workspace's raw telemetry (every team's requests, URLs, exception messages): adding
 * one, or changing what it reads, takes a platform admin (decision 0046); others may still move, resize or keep one. On a
 * team's board the query reads only the team's rows (decision 0067), so whoever manages the board may add or change one.
 */
export async function checkTileReferences(
  tx: Prisma.TransactionClient,
  actor: Actor,
  tiles: readonly Tile[],
  previous: readonly Tile[] = [],
  boardTeamId: string | null = null,
): Promise<void> {
  const teamSlugs = [...new Set(tiles.flatMap((tile) => ("team" in tile && tile.team ? [tile.team] : [])))];
  const serviceSlugs = [...new Set(tiles.flatMap((tile) => (tile.kind === "service-health" ? [tile.service] : [])))];
  const workspaceNames = [...new Set(tiles.flatMap((tile) => (tile.kind === "kql" ? [tile.workspace] : [])))];
  const [teams, services, workspaces] = await Promise.all([
    teamSlugs.length ? tx.team.findMany({ where: { slug: { in: teamSlugs }, archivedAt: null }, select: { id: true, slug: true } }) : [],
    serviceSlugs.length ? tx.service.findMany({ where: { slug: { in: serviceSlugs }, retiredAt: null }, select: { slug: true } }) : [],
    workspaceNames.length ? tx.telemetryWorkspace.findMany({ where: { name: { in: workspaceNames }, missingSince: null }, select: { name: true } }) : [],
  ]);
  const knownWorkspaces = new Set(workspaces.map((workspace) => workspace.name));
  const knownTeams = new Map(teams.map((team) => [team.slug, team.id]));
  const knownServices = new Set(services.map((service) => service.slug));
  for (const [index, tile] of tiles.entries()) {
    if ("team" in tile && tile.team && !knownTeams.has(tile.team)) {
      throw new AppError(
        "invalid_input",
        `Tile "${tile.id}" filters on team "${tile.team}", which does not exist or is archived; pick an active team or no team.`,
        { path: ["tiles", index, "team"] },
      );
    }
    if (tile.kind === "cost" && !can(actor, "cost:read", tile.team ? { teamId: knownTeams.get(tile.team) } : {})) {
      throw new AppError(
        "forbidden",
        tile.team
          ? `Tile "${tile.id}" shows the cost of team "${tile.team}", which you may not read; pick one of your teams.`
          : `Tile "${tile.id}" shows everyone's cost (the whole bill), which only platform admins may read; pick one of your teams.`,
        { path: ["tiles", index, "team"] },
      );
    }
    if (tile.kind === "service-health" && !knownServices.has(tile.service)) {
      throw new AppError(
        "invalid_input",
        `Tile "${tile.id}" shows service "${tile.service}", which is not in the catalog (or is retired); pick a service from the catalog.`,
        { path: ["tiles", index, "service"] },
      );
    }
    if (tile.kind === "kql") {
      const admin = actor.kind === "system" || (actor.kind === "user" && actor.isAdmin);
      if (!admin && boardTeamId === null && !previous.some((before) => kqlReads(before) === kqlReads(tile)))
        throw new AppError(
          "forbidden",
          `Tile "${tile.id}" runs a KQL query against workspace "${tile.workspace}", which on a board for everyone reads every team's ` +
            "telemetry there: only platform admins may add a KQL tile or change its query or workspace there. " +
            `Put it on your team's board (it reads your team's rows), or ask a platform admin (${platformAdminsPage}).`,
          { path: ["tiles", index, "query"] },
        );
      if (!knownWorkspaces.has(tile.workspace))
        throw new AppError(
          "invalid_input",
          `Tile "${tile.id}" reads Log Analytics workspace "${tile.workspace}", which Wharf has not discovered (or no longer finds); ` +
            "pick one listed on the Health page.",
          { path: ["tiles", index, "workspace"] },
        );
    }
  }
}

/**
 * Each KQL tile's query through Microsoft's parser; on a team's board (`team`), also that it reads only the team's telemetry
 * (decision 0067). Called before the save's transaction, not in it: the parser's first load takes seconds on a busy machine,
 * longer than a transaction may stay open.
 */
export async function checkKqlTiles(tiles: readonly Tile[], { team }: { team: boolean }): Promise<void> {
  for (const [index, tile] of tiles.entries()) {
    if (tile.kind !== "kql") continue;
    const check = await checkKqlQuery(tile.query, { team });
    if (!check.ok) throw new AppError("invalid_input", `Tile "${tile.id}": ${check.message}`, { path: ["tiles", index, "query"] });
  }
}
