// One edge's top failing operations and result codes (issue 13 item 5): the
// one read of the map that asks Log Analytics on demand, when someone opens an
// edge, never per viewer per cycle. The edge is found in the stored snapshot
// (404 when it is not there); the workspaces and caller components its figures
// came from are read from the stored edge rows, and each is asked the
// edge-operations query through the same client as the health poller, its
// 429s and Retry-After honoured the same way (a throttled workspace is not
// asked again before then). Answers are shared per edge (edge-query-cache.ts):
// at most one query per edge per minute in a web process whatever the number
// of viewers; each person may open a few edges a minute (429 past that).
// Reading it takes `health:read`, like the map.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { parseInput } from "@/lib/validation";
import { queryWorkspace, type LogsError } from "@/lib/azure/logs";
import {
  edgeOperationsLimit,
  edgeOperationsQuery,
  mapEdgeOperationsResult,
  QueryResultShapeError,
  type EdgeCallee,
  type EdgeOperationRow,
  type EdgeOperationsResult,
  type EdgeResultCodeRow,
  type MapEdgeRow,
  type MapWindow,
} from "@/lib/health/queries";
import { mapQuery } from "@/lib/appmap/get-map";
import { fleetScope } from "@/lib/appmap/refresh-map";
import { EdgeQueryCache, UserRateLimiter, type Loaded } from "@/lib/appmap/edge-query-cache";
import type { MapEdge, MapNode } from "@/lib/appmap/types";

const nodeIdPattern = /^(svc|role|ext|ext-group):/;
const nodeId = (name: string) =>
  z
    .string({ error: `${name} is required.` })
    .min(1)
    .max(1000, { error: `${name} is longer than any map node id (1,000 characters).` })
    .regex(nodeIdPattern, {
      error: `${name} must be a map node id as GET /api/v1/map returns it: svc:<slug>, role:<role name>, ext:<type>:<target> or ext-group:<type>.`,
    })
    .describe(`The ${name} node's id, as GET /api/v1/map returns it (URL-encoded in the path).`);

export const edgeOperationsParams = mapQuery.pick({ window: true, environment: true });

const edgeOperationsInput = edgeOperationsParams.extend({ source: nodeId("source"), target: nodeId("target") });

export type EdgeOperationsInput = z.input<typeof edgeOperationsInput>;

const operationSchema = z.object({
  operation: z.string().describe("The dependency call's name (AppDependencies.Name): an HTTP method and route, a SQL statement's verb and table, …"),
  calls: z.number().describe("Calls, weighted by ItemCount (sampling)."),
  failedCalls: z.number(),
  failedPct: z.number().nullable(),
  p95Ms: z.number().nullable().describe("95th percentile duration (the highest of the workspaces' when several)."),
  topFailingResultCode: z.string().nullable().describe("The result code most of its failures recorded; null when none failed."),
});
const resultCodeSchema = z.object({ resultCode: z.string(), calls: z.number(), failedCalls: z.number(), failedPct: z.number().nullable() });

export const edgeOperationsViewSchema = z.object({
  edge: z.object({
    id: z.string(),
    source: z.string(),
    target: z.string(),
    window: z.enum(["1h", "24h", "7d"]),
    environment: z.string().nullable(),
  }),
  fetchedAt: z.string().describe("When the query behind these figures was sent: this request's, or another viewer's within the last minutes."),
  nextQueryInSeconds: z.number().describe("Seconds before this edge is asked again; until then every viewer gets these figures."),
  operations: z.array(operationSchema).describe("Most failures first, then most calls; at most 10."),
  resultCodes: z.array(resultCodeSchema).describe("Most calls first; at most 10."),
  failedWorkspaces: z
    .array(z.object({ workspace: z.string(), error: z.string() }))
    .describe("Workspaces that failed while others answered: the figures lack their part."),
});

export type EdgeOperationsView = z.output<typeof edgeOperationsViewSchema>;

type Figures = Omit<EdgeOperationsView, "edge" | "fetchedAt" | "nextQueryInSeconds">;

/** Per user: at most this many edges opened a minute (cached answers included: each is a request to Wharf). */
export const edgeOperationsRateLimit = { limit: 20, windowMs: 60_000 };
const cacheTtlMs: Record<MapWindow, number> = { "1h": 2 * 60_000, "24h": 5 * 60_000, "7d": 10 * 60_000 };

const cache = new EdgeQueryCache<Figures>({ minIntervalMs: 60_000, maxEntries: 2_000 });
const limiter = new UserRateLimiter(edgeOperationsRateLimit);
/** Workspaces Log Analytics throttled this process's on-demand queries for: not asked before this time. */
const throttledUntil = new Map<string, number>();

/** Tests start from an empty cache and rate (and, unless kept, throttle) state. */
export function resetEdgeOperationsState(options: { keepThrottling?: boolean } = {}): void {
  cache.clear();
  limiter.clear();
  if (!options.keepThrottling) throttledUntil.clear();
}

function actorKey(actor: Actor): string {
  if (actor.kind === "user") return `user:${actor.userId}`;
  if (actor.kind === "pipeline") return `pipeline:${actor.pipelineIdentityId}`;
  return actor.kind;
}

const scopeName = (environment: string | null) => (environment ? `the ${environment} environment` : "the whole fleet");

export async function getEdgeOperations(input: { actor: Actor; input: EdgeOperationsInput }): Promise<EdgeOperationsView> {
  const { actor } = input;
  if (!can(actor, "health:read")) throw forbidden("health:read");
  const { source, target, window, environment: env } = parseInput(edgeOperationsInput, input.input);
  const environment = env ?? null;
  const rate = limiter.take(actorKey(actor));
  if (!rate.allowed) {
    throw new AppError(
      "rate_limited",
      `You opened more than ${edgeOperationsRateLimit.limit} edges' operations in a minute; each asks Log Analytics, whose quota every viewer shares. ` +
        `Try again in ${rate.retryAfterSeconds} s.`,
      { retryAfterSeconds: rate.retryAfterSeconds },
    );
  }
  const prisma = getPrisma();
  const snapshot = await prisma.appMapSnapshot.findUnique({
    where: { window_environment: { window, environment: environment ?? fleetScope } },
    select: { nodes: true, edges: true },
  });
  if (!snapshot) {
    throw new AppError(
      "not_found",
      `The ${window} map of ${scopeName(environment)} has not been built yet (a health cycle builds it); there is no edge to drill into.`,
    );
  }
  const edgeId = `${source}->${target}`;
  const edge = (snapshot.edges as unknown as MapEdge[]).find((candidate) => candidate.id === edgeId);
  const nodes = new Map((snapshot.nodes as unknown as MapNode[]).map((node) => [node.id, node]));
  const caller = nodes.get(source);
  const callee = nodes.get(target);
  if (!edge || !caller || !callee || caller.role === undefined) {
    throw new AppError(
      "not_found",
      `The ${window} map of ${scopeName(environment)} has no edge from "${source}" to "${target}". ` +
        "Use an edge GET /api/v1/map lists for the same window and environment.",
    );
  }
  const calleeSpec = edgeCallee(callee, [...nodes.values()]);
  const answer = await cache.get(`${window}|${environment ?? ""}|${edgeId}`, cacheTtlMs[window], () =>
    loadEdgeOperations({ window, environment, callerRole: caller.role!, callee: calleeSpec }),
  );
  if (!answer.answer.ok) {
    throw new AppError("dependency_unavailable", answer.answer.message, { retryAfterSeconds: Math.max(1, answer.nextQueryInSeconds) });
  }
  return {
    edge: { id: edgeId, source, target, window, environment },
    fetchedAt: new Date(answer.fetchedAt).toISOString(),
    nextQueryInSeconds: answer.nextQueryInSeconds,
    ...answer.answer.value,
  };
}

/** Which calls of the caller make up the edge into `callee`. */
function edgeCallee(callee: MapNode, nodes: readonly MapNode[]): EdgeCallee {
  if (callee.kind === "service" || callee.kind === "unknown") return { kind: "component", roles: [callee.role ?? ""] };
  if (callee.kind === "external") return { kind: "external", dependencyType: callee.dependencyType ?? "", target: callee.target ?? "" };
  // The group stands for every target of its type not drawn one by one.
  const drawn = nodes.filter((node) => node.kind === "external" && node.dependencyType === callee.dependencyType).map((node) => node.target ?? "");
  return { kind: "external-group", dependencyType: callee.dependencyType ?? "", excludedTargets: drawn };
}

function rowMatches(row: MapEdgeRow, callerRole: string, callee: EdgeCallee): boolean {
  if (row.callerRole !== callerRole) return false;
  if (callee.kind === "component") return row.calleeKind === "component" && callee.roles.includes(row.calleeRole);
  if (row.calleeKind !== "external" || row.dependencyType !== callee.dependencyType) return false;
  return callee.kind === "external" ? row.target === callee.target : !callee.excludedTargets.includes(row.target);
}

function describe(error: LogsError): string {
  return error.retryAfterSeconds !== undefined ? `${error.message} (retry after ${error.retryAfterSeconds} s)` : error.message;
}

/** The poller's own record of a 429 (lib/health/poll-workspaces.ts writes "HTTP 429: …" and the Retry-After into nextPollAt). */
const throttledByPoller = (workspace: { lastError: string | null; nextPollAt: Date | null }, now: number) =>
  Boolean(workspace.nextPollAt && workspace.nextPollAt.getTime() > now && workspace.lastError && /\bHTTP 429\b/.test(workspace.lastError));

type WorkspaceAnswer = { workspace: string; result: EdgeOperationsResult } | { workspace: string; error: string; retryAfterSeconds?: number };

async function loadEdgeOperations(input: { window: MapWindow; environment: string | null; callerRole: string; callee: EdgeCallee }): Promise<Loaded<Figures>> {
  const prisma = getPrisma();
  const [edgeRows, workspaces, components] = await Promise.all([
    prisma.appMapEdges.findMany({ where: { window: input.window }, select: { workspaceId: true, rows: true } }),
    prisma.telemetryWorkspace.findMany({
      where: { missingSince: null },
      select: { id: true, name: true, customerId: true, lastError: true, nextPollAt: true },
    }),
    input.environment
      ? prisma.telemetryComponent.findMany({ where: { missingSince: null, environment: input.environment }, select: { armId: true } })
      : Promise.resolve(null),
  ]);
  const inScope = components ? new Set(components.map((component) => component.armId.toLowerCase())) : null;
  // Per workspace, the caller components whose calls make up this edge.
  const sources = new Map<string, Set<string>>();
  for (const stored of edgeRows) {
    for (const row of stored.rows as unknown as MapEdgeRow[]) {
      if (!rowMatches(row, input.callerRole, input.callee)) continue;
      if (inScope && !inScope.has(row.callerComponentId)) continue;
      sources.set(stored.workspaceId, (sources.get(stored.workspaceId) ?? new Set()).add(row.callerComponentId));
    }
  }
  const asked = workspaces.filter((workspace) => sources.has(workspace.id));
  if (asked.length === 0) return { ok: true, value: { operations: [], resultCodes: [], failedWorkspaces: [] } };

  const config = getConfig();
  const answers = await Promise.all(
    asked.map(async (workspace): Promise<WorkspaceAnswer> => {
      const now = Date.now();
      const until = Math.max(throttledUntil.get(workspace.id) ?? 0, throttledByPoller(workspace, now) ? workspace.nextPollAt!.getTime() : 0);
      if (until > now) {
        const retryAfterSeconds = Math.ceil((until - now) / 1000);
        return {
          workspace: workspace.name,
          error: `Log Analytics is throttling Wharf's queries to this workspace; it may be asked again in ${retryAfterSeconds} s.`,
          retryAfterSeconds,
        };
      }
      const query = edgeOperationsQuery({
        window: input.window,
        callerRoles: [input.callerRole],
        callerComponentIds: [...sources.get(workspace.id)!],
        callee: input.callee,
      });
      const outcome = await queryWorkspace(config, { workspaceId: workspace.customerId, query: query.text, timespan: query.timespan });
      if (outcome.status === "failed") {
        const retryAfterSeconds = outcome.error.retryAfterSeconds;
        if (outcome.error.kind === "throttled" && retryAfterSeconds !== undefined) throttledUntil.set(workspace.id, Date.now() + retryAfterSeconds * 1000);
        return { workspace: workspace.name, error: describe(outcome.error), ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) };
      }
      try {
        return { workspace: workspace.name, result: mapEdgeOperationsResult(outcome.tables) };
      } catch (shapeError) {
        if (!(shapeError instanceof QueryResultShapeError)) throw shapeError;
        return { workspace: workspace.name, error: shapeError.message };
      }
    }),
  );
  const failed = answers.filter((answer): answer is Extract<WorkspaceAnswer, { error: string }> => "error" in answer);
  const results = answers.flatMap((answer) => ("result" in answer ? [answer.result] : []));
  if (results.length === 0) {
    const retryAfters = failed.flatMap((answer) => (answer.retryAfterSeconds === undefined ? [] : [answer.retryAfterSeconds]));
    return {
      ok: false,
      message: `Log Analytics did not answer for this edge: ${failed.map((answer) => `workspace ${answer.workspace}: ${answer.error}`).join("; ")}. Try again.`,
      ...(retryAfters.length > 0 && { retryAfterSeconds: Math.max(...retryAfters) }),
    };
  }
  return { ok: true, value: { ...mergeResults(results), failedWorkspaces: failed.map(({ workspace, error }) => ({ workspace, error })) } };
}

const percent = (failed: number, calls: number) => (calls > 0 ? Math.round((10_000 * failed) / calls) / 100 : null);

/** Several workspaces' figures for one edge: counts added, the highest p95 (an upper bound), the failing code of the most failures. */
export function mergeResults(results: readonly EdgeOperationsResult[]): EdgeOperationsResult {
  if (results.length === 1) return results[0]!;
  const operations = new Map<string, EdgeOperationRow & { codeFailures: number }>();
  for (const result of results) {
    for (const row of result.operations) {
      const entry = operations.get(row.operation) ?? { ...row, calls: 0, failedCalls: 0, p95Ms: null, topFailingResultCode: null, codeFailures: 0 };
      entry.calls += row.calls;
      entry.failedCalls += row.failedCalls;
      if (row.p95Ms !== null) entry.p95Ms = Math.max(entry.p95Ms ?? 0, row.p95Ms);
      if (row.topFailingResultCode && row.failedCalls > entry.codeFailures) {
        entry.topFailingResultCode = row.topFailingResultCode;
        entry.codeFailures = row.failedCalls;
      }
      operations.set(row.operation, entry);
    }
  }
  const codes = new Map<string, EdgeResultCodeRow>();
  for (const result of results) {
    for (const row of result.resultCodes) {
      const entry = codes.get(row.resultCode) ?? { ...row, calls: 0, failedCalls: 0 };
      entry.calls += row.calls;
      entry.failedCalls += row.failedCalls;
      codes.set(row.resultCode, entry);
    }
  }
  return {
    operations: [...operations.values()]
      .map(({ codeFailures: _codeFailures, ...row }) => ({ ...row, failedPct: percent(row.failedCalls, row.calls) }))
      .sort((a, b) => b.failedCalls - a.failedCalls || b.calls - a.calls || a.operation.localeCompare(b.operation))
      .slice(0, edgeOperationsLimit),
    resultCodes: [...codes.values()]
      .map((row) => ({ ...row, failedPct: percent(row.failedCalls, row.calls) }))
      .sort((a, b) => b.calls - a.calls || a.resultCode.localeCompare(b.resultCode))
      .slice(0, edgeOperationsLimit),
  };
}
