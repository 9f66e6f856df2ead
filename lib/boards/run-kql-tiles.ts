// Runs the boards' KQL tiles, as a step of the health cycle (decision 0046):
// each tile at most every `kqlTileMinutes`, one `$batch` per workspace with
// its due queries (a query several tiles share is sent once), with the same
// safety as Wharf's own queries: a server-side timespan and timeout, a row
// cap appended to the query, no query to a workspace the health poller is
// backing off from (a 429's Retry-After, failures), a tile's own Retry-After.
// A team board's tile reads only its team's rows: each App table its query
// reads is shadowed by a view of the App Insights role names of the team's
// services as the catalog has them at this run (decision 0067).
// The capped result or the error is stored per tile (BoardKqlResult); a
// board's snapshot reads that row, so no screen causes a query.
import type { WharfConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { queryBatch, type LogsError, type LogsQueryOutcome } from "@/lib/azure/logs";
import { cappedKqlQuery } from "./kql-query";
import { tilesSchema } from "./tiles";
import { kqlQueryHash, kqlTileMinutes } from "./kql-schedule";

/** Rows and columns kept of a result (the query itself is cut at one row more). */
export const kqlMaxRows = 500;
export const kqlMaxColumns = 20;
/** Text cells are cut to this many characters. */
const maxCellChars = 200;
/** Log Analytics stops a query after this long; a tile's query is not worth more of the workspace's time. */
export const kqlServerTimeoutSeconds = 30;
/** At most this many queries in one workspace's $batch per cycle; the others wait for the next cycle, oldest first. */
const maxQueriesPerBatch = 10;

const timespans = { "1h": "PT1H", "24h": "P1D", "7d": "P7D" } as const;

export interface KqlWorkspace {
  name: string;
  customerId: string;
  nextPollAt: Date | null;
}

export interface KqlRunSummary {
  /** Distinct queries sent this cycle. */
  queries: number;
  /** Tiles whose stored result was written this cycle. */
  tiles: number;
  errors: { board: string; tile: string; error: string }[];
}

function describe(error: LogsError): string {
  return error.retryAfterSeconds !== undefined ? `${error.message} (retry after ${error.retryAfterSeconds} s)` : error.message;
}

function cell(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "string") return value.length > maxCellChars ? `${value.slice(0, maxCellChars - 1)}…` : value;
  if (value === null || typeof value === "number" || typeof value === "boolean") return value;
  const text = JSON.stringify(value) ?? null;
  return text && text.length > maxCellChars ? `${text.slice(0, maxCellChars - 1)}…` : text;
}

interface Stored {
  columns: { name: string; type: string }[];
  rows: unknown[][];
  truncated: boolean;
  error: string | null;
}

function stored(outcome: LogsQueryOutcome): Stored {
  if (outcome.status === "failed") return { columns: [], rows: [], truncated: false, error: describe(outcome.error) };
  const table = outcome.tables[0];
  const columns = (table?.columns ?? []).slice(0, kqlMaxColumns);
  const rows = (table?.rows ?? []).slice(0, kqlMaxRows).map((row) => row.slice(0, kqlMaxColumns).map(cell));
  return {
    columns: columns.map((column) => ({ name: column.name, type: column.type })),
    rows,
    truncated: (table?.rows.length ?? 0) > kqlMaxRows || (table?.columns.length ?? 0) > kqlMaxColumns,
    error: outcome.status === "partial" ? describe(outcome.error) : null,
  };
}

/** Runs the due KQL tiles of every board against the given workspaces (the health cycle's) and stores each result or error. */
export async function runKqlTiles({
  config,
  now,
  workspaces,
}: {
  config: Pick<WharfConfig, "identity" | "azure" | "mode">;
  now: Date;
  workspaces: readonly KqlWorkspace[];
}): Promise<KqlRunSummary> {
  const prisma = getPrisma();
  const boards = await prisma.board.findMany({ select: { id: true, slug: true, teamId: true, tiles: true } });
  // Each team's App Insights role names, read at every run: a service added, moved to another team or given a role name is
  // in (or out of) the team's tiles from the next run. Retired services keep their team: their telemetry is still the team's.
  const teamIds = [...new Set(boards.flatMap((board) => (board.teamId ? [board.teamId] : [])))];
  const services = teamIds.length
    ? await prisma.service.findMany({
        where: { ownerTeamId: { in: teamIds }, appInsightsRoleName: { not: null } },
        select: { ownerTeamId: true, appInsightsRoleName: true },
      })
    : [];
  const rolesOf = (teamId: string) => services.flatMap((service) => (service.ownerTeamId === teamId ? [service.appInsightsRoleName!] : []));
  const tiles = boards.flatMap((board) => {
    const parsed = tilesSchema.safeParse(board.tiles);
    // A board this version cannot read says so on its page and screens (board-view.ts); its tiles are not run.
    if (!parsed.success) return [];
    return parsed.data.flatMap((tile) => (tile.kind === "kql" ? [{ board, tile, hash: kqlQueryHash(tile) }] : []));
  });
  const results = await prisma.boardKqlResult.findMany({ select: { boardId: true, tileId: true, queryHash: true, nextRunAt: true } });
  const kept = new Set(tiles.map(({ board, tile }) => `${board.id}/${tile.id}`));
  const gone = results.filter((result) => !kept.has(`${result.boardId}/${result.tileId}`));
  // Results of tiles removed from their board (a deleted board's go with it).
  for (const result of gone) await prisma.boardKqlResult.deleteMany({ where: { boardId: result.boardId, tileId: result.tileId } });
  const previous = new Map(results.map((result) => [`${result.boardId}/${result.tileId}`, result]));
  const due = tiles.filter(({ board, tile, hash }) => {
    const last = previous.get(`${board.id}/${tile.id}`);
    return !last || last.queryHash !== hash || last.nextRunAt <= now;
  });
  const summary: KqlRunSummary = { queries: 0, tiles: 0, errors: [] };
  const write = async (entry: (typeof due)[number], result: Stored, nextRunAt: Date) => {
    const sameQuery = previous.get(`${entry.board.id}/${entry.tile.id}`)?.queryHash === entry.hash;
    const answered = result.error === null || result.columns.length > 0;
    const rows = { columns: result.columns, rows: result.rows as Prisma.InputJsonValue, truncated: result.truncated, fetchedAt: answered ? now : null };
    const run = { queryHash: entry.hash, ranAt: now, nextRunAt, error: result.error };
    await prisma.boardKqlResult.upsert({
      where: { boardId_tileId: { boardId: entry.board.id, tileId: entry.tile.id } },
      create: { boardId: entry.board.id, tileId: entry.tile.id, ...run, ...rows },
      // A failed run keeps the last rows of the same query: the tile shows them with their age and the error.
      update: answered || !sameQuery ? { ...run, ...rows } : run,
    });
    summary.tiles += 1;
    if (result.error) summary.errors.push({ board: entry.board.slug, tile: entry.tile.id, error: result.error });
  };

  const interval = new Date(now.getTime() + kqlTileMinutes * 60_000);
  const byName = new Map(workspaces.map((workspace) => [workspace.name, workspace]));
  const byWorkspace = new Map<string, typeof due>();
  for (const entry of due) {
    const workspace = byName.get(entry.tile.workspace);
    if (!workspace) {
      const error = `Log Analytics workspace "${entry.tile.workspace}" is no longer discovered; edit the board to pick another.`;
      await write(entry, { columns: [], rows: [], truncated: false, error }, interval);
      continue;
    }
    // The health poller is waiting out this workspace's Retry-After or backoff: a tile's query would only add to it.
    if (workspace.nextPollAt && workspace.nextPollAt > now) continue;
    byWorkspace.set(workspace.name, [...(byWorkspace.get(workspace.name) ?? []), entry]);
  }
  for (const [name, entries] of byWorkspace) {
    const workspace = byName.get(name)!;
    // Tiles with the same query share one run only within one scope: a team's tile never shares another team's (or everyone's) rows.
    const byHash = new Map<string, typeof entries>();
    for (const entry of entries) {
      const key = `${entry.hash}\n${entry.board.teamId ?? ""}`;
      byHash.set(key, [...(byHash.get(key) ?? []), entry]);
    }
    const oldestFirst = (hash: string) =>
      Math.min(...byHash.get(hash)!.map((entry) => previous.get(`${entry.board.id}/${entry.tile.id}`)?.nextRunAt.getTime() ?? 0));
    const hashes = [...byHash.keys()].sort((a, b) => oldestFirst(a) - oldestFirst(b)).slice(0, maxQueriesPerBatch);
    const sendable: { hash: string; query: string }[] = [];
    for (const hash of hashes) {
      const { board, tile } = byHash.get(hash)![0]!;
      try {
        sendable.push({ hash, query: await cappedKqlQuery(tile.query, kqlMaxRows, board.teamId ? rolesOf(board.teamId) : null) });
      } catch (error) {
        // Saved before a parser update refused it: said on its tile; the workspace's other tiles still run. When the parser
        // itself could not run (its thread failed), that is said instead, and the next cycle tries again.
        const message =
          error instanceof AppError ? error.message : `${error instanceof Error ? error.message : String(error)} Edit the board to fix the query.`;
        for (const entry of byHash.get(hash)!) await write(entry, { columns: [], rows: [], truncated: false, error: message }, interval);
      }
    }
    const outcomes = await queryBatch(
      config,
      sendable.map(({ hash, query }) => ({
        workspaceId: workspace.customerId,
        query,
        timespan: timespans[byHash.get(hash)![0]!.tile.timespan],
        serverTimeoutSeconds: kqlServerTimeoutSeconds,
      })),
    );
    summary.queries += sendable.length;
    for (const [index, { hash }] of sendable.entries()) {
      const outcome = outcomes[index]!;
      const retryAfter = outcome.status === "failed" ? (outcome.error.retryAfterSeconds ?? 0) : 0;
      const nextRunAt = new Date(Math.max(interval.getTime(), now.getTime() + retryAfter * 1000));
      for (const entry of byHash.get(hash)!) await write(entry, stored(outcome), nextRunAt);
    }
  }
  return summary;
}
