// One request per workspace per cycle: the health query for every role Wharf
// knows at once, and in the same $batch the application map's edge queries
// for the windows due (lib/appmap/map-cadence.ts). A workspace is skipped until its nextPollAt: a 429's Retry-After, or
// a backoff with jitter after failures; each keeps its own lastError, so one
// failing workspace never blanks the others.
import { backoffWithJitter } from "@/lib/net/backoff";
import { getPrisma } from "@/lib/db/client";
import type { WharfConfig } from "@/lib/config";
import { queryBatch, type LogsError, type LogsQueryOutcome } from "@/lib/azure/logs";
import {
  healthQuery,
  mapEdgesQuery,
  mapHealthResult,
  mapMapEdgesResult,
  QueryResultShapeError,
  type HealthQueryResult,
  type MapEdgeRow,
  type MapWindow,
} from "@/lib/health/queries";

export interface PolledWorkspace {
  id: string;
  name: string;
  customerId: string;
  lastPolledAt: Date | null;
  lastSuccessAt: Date | null;
  lastError: string | null;
  nextPollAt: Date | null;
  failures: number;
}

export interface WorkspaceTelemetry {
  workspace: PolledWorkspace;
  /** Figures from this cycle's query, when it was sent and answered. */
  result?: HealthQueryResult;
  /** Whether a query was sent this cycle. */
  queried: boolean;
  /** The map's edges per window asked this cycle: rows, or why there are none. */
  mapEdges?: Partial<Record<MapWindow, { rows: MapEdgeRow[] } | { error: string }>>;
}

function mapOutcome(outcome: LogsQueryOutcome): { rows: MapEdgeRow[] } | { error: string } {
  if (outcome.status === "failed") return { error: describe(outcome.error) };
  try {
    return { rows: mapMapEdgesResult(outcome.tables) };
  } catch (shapeError) {
    if (!(shapeError instanceof QueryResultShapeError)) throw shapeError;
    return { error: shapeError.message };
  }
}

/** Log Analytics allows 5 concurrent queries per caller; stay under it. */
const concurrentQueries = 4;
const maxBackoffSeconds = 15 * 60;

/** Not before the next cycle, then doubling per failure up to 15 min, jittered so workspaces do not retry in step. */
export function backoffSeconds(failures: number, pollSeconds: number, random?: () => number): number {
  return Math.round(backoffWithJitter(failures, { initial: pollSeconds, max: maxBackoffSeconds }, random));
}

/**
 * Due when its nextPollAt has passed and it was not polled in the last 80 %
 * of a cycle (two workers' cycles, or a cron kick beside a chained cycle,
 * never query the same workspace twice in one cycle).
 */
export function isDue(workspace: Pick<PolledWorkspace, "nextPollAt" | "lastPolledAt">, now: Date, pollSeconds: number): boolean {
  if (workspace.nextPollAt && workspace.nextPollAt > now) return false;
  return !workspace.lastPolledAt || now.getTime() - workspace.lastPolledAt.getTime() >= pollSeconds * 800;
}

function describe(error: LogsError): string {
  return error.retryAfterSeconds !== undefined ? `${error.message} (retry after ${error.retryAfterSeconds} s)` : error.message;
}

async function pollOne(
  config: WharfConfig,
  workspace: PolledWorkspace,
  roles: readonly string[],
  windowMinutes: number,
  now: Date,
  mapWindows: readonly MapWindow[],
): Promise<WorkspaceTelemetry> {
  // No service with a role name runs yet: the batch carries only the map's queries, so the map shows what telemetry reports
  // (roles no catalog entry claims among them) before anything is deployed through Wharf.
  const withHealth = roles.length > 0;
  const queries = [...(withHealth ? [healthQuery({ roles, windowMinutes })] : []), ...mapWindows.map((window) => mapEdgesQuery({ window }))];
  const outcomes = (await queryBatch(
    config,
    queries.map((query) => ({ workspaceId: workspace.customerId, query: query.text, timespan: query.timespan })),
  )) as LogsQueryOutcome[];
  const mapOutcomes = withHealth ? outcomes.slice(1) : outcomes;
  const mapEdges = mapWindows.length ? Object.fromEntries(mapWindows.map((window, index) => [window, mapOutcome(mapOutcomes[index]!)])) : undefined;
  const prisma = getPrisma();
  let result: HealthQueryResult | undefined;
  let error: LogsError | undefined;
  const outcome = withHealth ? outcomes[0]! : mapOutcomes.find((candidate) => candidate.status === "failed");
  if (!outcome) result = { window: [], minutes: [], availability: [] };
  else if (outcome.status === "failed") error = outcome.error;
  else if (!withHealth) result = { window: [], minutes: [], availability: [] };
  else {
    try {
      result = mapHealthResult(outcome.tables);
    } catch (shapeError) {
      if (!(shapeError instanceof QueryResultShapeError)) throw shapeError;
      error = { kind: "bad-query", code: "UnexpectedResult", message: shapeError.message };
    }
    // A partial answer still counts: its figures are used, and its error is shown on the workspace.
    if (result && outcome.status === "partial") error = outcome.error;
  }
  if (result) {
    const updated = await prisma.telemetryWorkspace.update({
      where: { id: workspace.id },
      data: { lastPolledAt: now, lastSuccessAt: now, lastError: error ? describe(error) : null, failures: 0, nextPollAt: null },
    });
    return { workspace: { ...workspace, ...updated }, result, queried: true, mapEdges };
  }
  const failures = workspace.failures + 1;
  const wait = Math.max(
    error!.retryAfterSeconds ?? 0,
    error!.kind === "throttled" && error!.retryAfterSeconds !== undefined ? 0 : backoffSeconds(failures, config.health.pollSeconds),
  );
  const updated = await prisma.telemetryWorkspace.update({
    where: { id: workspace.id },
    data: { lastPolledAt: now, lastError: describe(error!), failures, nextPollAt: new Date(now.getTime() + wait * 1000) },
  });
  return { workspace: { ...workspace, ...updated }, queried: true, mapEdges };
}

/** Queries every due workspace (at most four at once) and returns each workspace's state after the cycle. */
export async function pollWorkspaces(input: {
  config: WharfConfig;
  workspaces: PolledWorkspace[];
  roles: readonly string[];
  windowMinutes: number;
  now: Date;
  /** The map windows to fetch with a workspace's health query this cycle (none when absent). */
  mapWindowsFor?: (workspace: PolledWorkspace) => MapWindow[];
}): Promise<Map<string, WorkspaceTelemetry>> {
  const { config, roles, windowMinutes, now } = input;
  const results = new Map<string, WorkspaceTelemetry>();
  const windowsFor = (workspace: PolledWorkspace) => input.mapWindowsFor?.(workspace) ?? [];
  // A workspace is asked when it is due and has something to answer: the health query (some role runs) or a map window.
  const due = input.workspaces.filter(
    (workspace) => isDue(workspace, now, config.health.pollSeconds) && (roles.length > 0 || windowsFor(workspace).length > 0),
  );
  for (const workspace of input.workspaces) results.set(workspace.id, { workspace, queried: false });
  let next = 0;
  const lane = async () => {
    while (next < due.length) {
      const workspace = due[next++]!;
      results.set(workspace.id, await pollOne(config, workspace, roles, windowMinutes, now, windowsFor(workspace)));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrentQueries, due.length) }, lane));
  return results;
}
