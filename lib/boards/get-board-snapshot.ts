// A board's data for its screens, read from what Wharf already stores (the
// health poller's snapshots, deployments, requests): no screen causes a call
// to Azure or a cluster. Screens of one board in one web process share one
// read: the result is kept for a few seconds and concurrent reads wait for
// the one in flight, so 500 screens (re)connecting cost one read; after a
// change the new build is pushed to them (board-snapshot-feed.ts).
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { compareHealthEntries, countStates, serviceHealthInclude, toHealthEntry, type HealthEntry } from "@/lib/health/health-view";
import { bucketSamples, type SampleRow } from "@/lib/health/trend-view";
import { storedTiles } from "./board-view";
import { costTileData, costStaleSeconds } from "./cost-tile-data";
import { mapTileData } from "./map-tile-data";
import { kqlTileData } from "./kql-tile-data";
import { tagCheckOf, tagCheckOutcomes, versionText } from "@/lib/deployments/version-text";
import { oneOf } from "@/lib/db/one-of";
import type { DisplayCheck } from "@/lib/auth/display-token";
import type {
  ApprovalsData,
  BoardSnapshot,
  DisplaySnapshot,
  FleetHealthData,
  RolloutRow,
  RolloutsData,
  ServiceHealthData,
  ServiceTrendPoint,
  TileData,
} from "./board-snapshot";
import type { Tile } from "./tiles";

/** Rollouts and approvals are read when the snapshot is made; a screen that has not refreshed for this long shows them stale. */
const ownDataStaleSeconds = 120;
const cacheMs = 2_000;

type Cached = { at: number; snapshot: Promise<BoardSnapshot> };
const state = globalThis as typeof globalThis & { wharfBoardSnapshots?: Map<string, Cached> };
const cache = () => (state.wharfBoardSnapshots ??= new Map());

export async function getBoardSnapshot({
  actor,
  boardId,
  now = new Date(),
  fresh = false,
}: {
  actor: Actor;
  boardId: string;
  now?: Date;
  fresh?: boolean;
}): Promise<BoardSnapshot> {
  if (!can(actor, "board:view", { boardId })) throw forbidden("board:view");
  const cached = cache().get(boardId);
  if (!fresh && cached && now.getTime() - cached.at < cacheMs) return cached.snapshot;
  return keep(boardId, now, readSnapshot(boardId, now, fresh));
}

/**
 * Builds the board's snapshot now, whatever is kept, and keeps it for the screens' reads. For board-snapshot-feed.ts, which pushes it
 * to the board's screens and lets in only screens that may view the board (decision 0041); never answered to anyone as it is.
 */
export async function refreshBoardSnapshot(boardId: string, now = new Date()): Promise<BoardSnapshot> {
  return keep(boardId, now, readSnapshot(boardId, now, false));
}

function keep(boardId: string, now: Date, snapshot: Promise<BoardSnapshot>): Promise<BoardSnapshot> {
  const entry: Cached = { at: now.getTime(), snapshot };
  cache().set(boardId, entry);
  snapshot.catch(() => {
    if (cache().get(boardId) === entry) cache().delete(boardId);
  });
  // Forget old boards so the map does not grow with deleted ones.
  for (const [id, kept] of cache()) if (now.getTime() - kept.at > 60_000) cache().delete(id);
  return snapshot;
}

async function readSnapshot(boardId: string, now: Date, fresh: boolean): Promise<BoardSnapshot> {
  const prisma = getPrisma();
  const board = await prisma.board.findUnique({ where: { id: boardId }, include: { team: { select: { slug: true } } } });
  if (!board) throw new AppError("not_found", "This board was deleted.");
  const tiles = storedTiles(board);
  const pollSeconds = getConfig().health.pollSeconds;
  const teamSlugs = [...new Set(tiles.flatMap((tile) => ("team" in tile && tile.team ? [tile.team] : [])))];
  const teams = teamSlugs.length
    ? await prisma.team.findMany({ where: { slug: { in: teamSlugs } }, select: { id: true, slug: true, name: true, archivedAt: true } })
    : [];
  const teamBySlug = new Map(teams.map((team) => [team.slug, team]));
  const teamProblem = (slug: string | undefined): string | undefined => {
    if (!slug) return undefined;
    const team = teamBySlug.get(slug);
    if (!team) return `Team "${slug}" no longer exists; edit the board to pick another team.`;
    if (team.archivedAt) return `Team “${team.name}” was archived; edit the board to pick another team.`;
    return undefined;
  };
  const teamId = (slug: string | undefined) => (slug ? teamBySlug.get(slug)?.id : undefined);

  const data = await Promise.all(
    tiles.map(async (tile): Promise<[string, TileData]> => {
      const problem = "team" in tile ? teamProblem(tile.team) : undefined;
      return [tile.id, await readTile(tile, { now, pollSeconds, problem, fresh, boardId: board.id, teamId: "team" in tile ? teamId(tile.team) : undefined })];
    }),
  );
  return {
    board: { id: board.id, slug: board.slug, name: board.name, team: board.team?.slug ?? null, tiles },
    tiles: Object.fromEntries(data),
    generatedAt: now.toISOString(),
    pollSeconds,
  };
}

interface TileContext {
  now: Date;
  pollSeconds: number;
  problem?: string;
  teamId?: string;
  boardId: string;
  fresh: boolean;
}

/** A service tile's trend: the last day in 15-minute points, 96 of them, which a wall screen can draw at any tile size. */
const trendBucketMs = 15 * 60_000;
const trendPoints = 96;
const trendStart = (now: Date) => new Date((Math.floor(now.getTime() / trendBucketMs) - (trendPoints - 1)) * trendBucketMs);

/** Every point of the day, a point without samples null-valued, so the time axis stays even and a gap stays a gap. */
function tileTrend(now: Date, samples: SampleRow[]): ServiceTrendPoint[] {
  const byStart = new Map(bucketSamples(samples, trendBucketMs / 60_000).map((point) => [Date.parse(point.at), point]));
  const start = trendStart(now).getTime();
  return Array.from({ length: trendPoints }, (_, index) => {
    const at = start + index * trendBucketMs;
    const point = byStart.get(at);
    return {
      at: new Date(at).toISOString(),
      requestsPerMinute: point?.requestsPerMinute ?? null,
      failureRatePct: point?.failureRatePct ?? null,
      p95DurationMs: point?.p95DurationMs ?? null,
      readyReplicas: point?.readyReplicas ?? null,
    };
  });
}
const trendSampleSelect = {
  namespaceId: true,
  at: true,
  requests: true,
  failed: true,
  failureRatePct: true,
  p95DurationMs: true,
  availabilityPct: true,
  readyReplicas: true,
  desiredReplicas: true,
} as const;

const latest = (entries: HealthEntry[]) =>
  entries.reduce<string | null>((max, entry) => (entry.evaluatedAt && (!max || entry.evaluatedAt > max) ? entry.evaluatedAt : max), null);

async function readTile(tile: Tile, context: TileContext): Promise<TileData> {
  const { now, pollSeconds, problem, teamId, fresh, boardId } = context;
  const healthStale = 2 * pollSeconds;
  const prisma = getPrisma();
  switch (tile.kind) {
    case "fleet-health": {
      const empty: FleetHealthData = {
        kind: "fleet-health",
        asOf: null,
        staleAfterSeconds: healthStale,
        counts: { unhealthy: 0, degraded: 0, unknown: 0, healthy: 0 },
        total: 0,
        problems: [],
      };
      if (problem) return { ...empty, error: problem };
      const rows = await prisma.serviceHealth.findMany({
        where: {
          service: { retiredAt: null, ...(teamId && { ownerTeamId: teamId }) },
          namespace: { status: { not: "decommissioned" } },
          ...(tile.environment && { environment: tile.environment }),
        },
        include: serviceHealthInclude,
      });
      const entries = rows.map((row) => toHealthEntry(row, now, pollSeconds)).sort(compareHealthEntries);
      return {
        ...empty,
        asOf: latest(entries),
        counts: countStates(entries),
        total: entries.length,
        problems: entries
          .filter((entry) => entry.state !== "healthy")
          .slice(0, 12)
          .map((entry) => ({
            service: entry.service.slug,
            displayName: entry.service.displayName,
            environment: entry.environment,
            namespace: entry.namespace.name,
            state: entry.state,
            message: entry.reasons[0]?.message ?? "",
          })),
      };
    }
    case "service-health": {
      const service = await prisma.service.findUnique({ where: { slug: tile.service }, select: { id: true, slug: true, displayName: true, retiredAt: true } });
      const empty: ServiceHealthData = {
        kind: "service-health",
        asOf: null,
        staleAfterSeconds: healthStale,
        service: service ? { slug: service.slug, displayName: service.displayName } : null,
        environments: [],
      };
      if (!service) return { ...empty, error: `Service "${tile.service}" is no longer in the catalog; edit the board to pick another.` };
      if (service.retiredAt) return { ...empty, error: `${service.displayName} was retired; edit the board to pick another service.` };
      const [rows, samples] = await Promise.all([
        prisma.serviceHealth.findMany({
          where: { serviceId: service.id, namespace: { status: { not: "decommissioned" } } },
          include: serviceHealthInclude,
        }),
        prisma.healthSample.findMany({
          where: { serviceId: service.id, resolution: "minute", at: { gte: trendStart(now), lte: now } },
          select: trendSampleSelect,
          orderBy: { at: "asc" },
        }),
      ]);
      const entries = rows.map((row) => toHealthEntry(row, now, pollSeconds)).sort(compareHealthEntries);
      return {
        ...empty,
        asOf: latest(entries),
        environments: entries.map((entry) => ({
          environment: entry.environment,
          namespace: entry.namespace.name,
          cluster: entry.namespace.cluster.name,
          state: entry.state,
          message: entry.reasons[0]?.message ?? null,
          readyReplicas: entry.kubernetes?.readyReplicas ?? null,
          desiredReplicas: entry.kubernetes?.desiredReplicas ?? null,
          failureRatePct: entry.telemetry?.failureRatePct ?? null,
          p95DurationMs: entry.telemetry?.p95DurationMs ?? null,
          evaluatedAt: entry.evaluatedAt!,
          trend: tileTrend(
            now,
            samples.filter((sample) => sample.namespaceId === entry.namespace.id),
          ),
        })),
      };
    }
    case "rollouts": {
      const empty: RolloutsData = { kind: "rollouts", asOf: now.toISOString(), staleAfterSeconds: ownDataStaleSeconds, active: [], recent: [] };
      if (problem) return { ...empty, error: problem };
      const team = teamId ? { teamId } : {};
      const [active, recent] = await Promise.all([
        prisma.deployment.findMany({
          where: { ...team, status: { in: ["queued", "applying", "progressing"] } },
          include: deploymentInclude,
          orderBy: { createdAt: "desc" },
          take: 10,
        }),
        prisma.deployment.findMany({
          where: { ...team, status: { in: ["succeeded", "failed", "cancelled"] } },
          include: deploymentInclude,
          orderBy: { finishedAt: { sort: "desc", nulls: "last" } },
          take: 10,
        }),
      ]);
      return { ...empty, active: active.map(toRolloutRow), recent: recent.map(toRolloutRow) };
    }
    case "approvals": {
      const empty: ApprovalsData = {
        kind: "approvals",
        asOf: now.toISOString(),
        staleAfterSeconds: ownDataStaleSeconds,
        deployments: [],
        namespaceRequests: [],
      };
      if (problem) return { ...empty, error: problem };
      const team = teamId ? { teamId } : {};
      const [deployments, requests] = await Promise.all([
        prisma.deployment.findMany({ where: { ...team, status: "awaiting-approval" }, include: deploymentInclude, orderBy: { createdAt: "asc" }, take: 20 }),
        prisma.namespaceRequest.findMany({
          where: { ...team, status: "pending" },
          include: { team: { select: { name: true } }, cluster: { select: { name: true } } },
          orderBy: { createdAt: "asc" },
          take: 20,
        }),
      ]);
      return {
        ...empty,
        deployments: deployments.map(toRolloutRow),
        namespaceRequests: requests.map((request) => ({
          id: request.id,
          team: request.team.name,
          name: request.name,
          cluster: request.cluster.name,
          kind: request.kind,
          requestedByName: request.requestedByName,
          at: request.createdAt.toISOString(),
        })),
      };
    }
    case "cost": {
      if (problem) {
        const empty = { asOf: null, team: tile.team ?? null, currency: null, minorUnitDigits: 2, from: "", to: "", syncError: null };
        return {
          kind: "cost",
          ...empty,
          staleAfterSeconds: costStaleSeconds(),
          monthToDateMinor: 0,
          dailyMinor: [],
          lastWeekMinor: 0,
          previousWeekMinor: 0,
          forecastMinor: null,
          forecastSource: null,
          forecastBasis: "",
          error: problem,
        };
      }
      return costTileData({ team: tile.team ?? null, now, fresh });
    }
    case "map": {
      const query = { team: tile.team ?? null, environment: tile.environment ?? null, window: tile.window ?? "1h", staleAfterSeconds: healthStale };
      if (problem) return { kind: "map", ...query, asOf: null, nodes: 0, edges: 0, failingEdges: [], nodeProblems: [], sourceErrors: [], error: problem };
      return mapTileData(query);
    }
    case "kql":
      return kqlTileData({ boardId, tile, pollSeconds });
    case "clock":
      return { kind: "clock", asOf: now.toISOString(), staleAfterSeconds: ownDataStaleSeconds };
  }
}

const deploymentInclude = { service: { select: { displayName: true } }, namespace: { select: { name: true, environment: true } } } as const;

function toRolloutRow(row: {
  id: string;
  status: string;
  reason: string | null;
  imageTag: string | null;
  imageDigest: string | null;
  image: string;
  tagCheck: string | null;
  readyReplicas: number;
  desiredReplicas: number;
  requestedByName: string;
  createdAt: Date;
  finishedAt: Date | null;
  service: { displayName: string };
  namespace: { name: string; environment: string };
}): RolloutRow {
  return {
    id: row.id,
    service: row.service.displayName,
    namespace: row.namespace.name,
    environment: row.namespace.environment,
    tag: row.imageTag,
    version: versionText(row),
    tagCheck: tagCheckOf(row.imageTag, row.tagCheck === null ? null : oneOf(tagCheckOutcomes, row.tagCheck, "Deployment.tagCheck")),
    status: row.status,
    reason: row.reason,
    readyReplicas: row.readyReplicas,
    desiredReplicas: row.desiredReplicas,
    requestedByName: row.requestedByName,
    at: (row.finishedAt ?? row.createdAt).toISOString(),
  };
}

/** A screen's read: each board of its rotation once, from the shared per-board snapshots. */
export async function getDisplaySnapshot({
  display,
  version,
  latest,
}: {
  display: Pick<Extract<DisplayCheck, { ok: true }>, "actor" | "rotation" | "playlist" | "expiresAt">;
  version: string;
  /** A board's latest build pushed to its screens, if there is one (the stream's first snapshot: board-snapshot-feed.ts). */
  latest?: (boardId: string) => Promise<BoardSnapshot> | undefined;
}): Promise<DisplaySnapshot> {
  const boardIds = [...new Set(display.rotation.map((entry) => entry.boardId))];
  const read = (boardId: string) => getBoardSnapshot({ actor: display.actor, boardId });
  const boards = await Promise.all(boardIds.map((boardId) => latest?.(boardId)?.catch(() => read(boardId)) ?? read(boardId)));
  return {
    playlist: display.playlist,
    rotation: display.rotation,
    boards,
    display: { label: display.actor.name, expiresAt: display.expiresAt.toISOString() },
    version,
  };
}
