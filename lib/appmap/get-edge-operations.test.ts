// Integration, no mocks: two services run in the sandbox's dev cluster (front
// calls back and a SQL database), a real poll of the workspaces and a real
// map refresh put their edges on the stored map, and opening an edge asks the
// sandbox's Log Analytics the edge-operations query through Wharf's client.
// Also: one query per edge shared by every viewer, the route's 4xx for bad
// parameters and an unknown edge, the per-user rate limit (429 with
// Retry-After), and a failing or throttling workspace as a specific 503.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig, type WharfConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { createPerson, runOnSandboxCluster, signIn } from "@/lib/test-support/team-fixture";
import { discoverTelemetry } from "@/lib/health/discover-telemetry";
import { pollWorkspaces } from "@/lib/health/poll-workspaces";
import { observeLogsRequests } from "@/lib/azure/logs";
import { refreshAppMap } from "@/lib/appmap/refresh-map";
import { edgeOperationsRateLimit, getEdgeOperations, resetEdgeOperationsState, type EdgeOperationsView } from "@/lib/appmap/get-edge-operations";
import type { MapEdge, MapNode } from "@/lib/appmap/types";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { GET } from "@/app/api/v1/map/edges/[source]/[target]/operations/route";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const suffix = randomBytes(3).toString("hex");
const namespace = `eo-${suffix}`;
const front = `eo-front-${suffix}`;
const back = `eo-back-${suffix}`;
const database = `eo-db-${suffix}`;
let config: WharfConfig;
let viewer: UserActor;
let other: UserActor;
let token: string;
let sqlNode: MapNode;
let serviceEdge: MapEdge;

async function refreshMap(): Promise<{ nodes: MapNode[]; edges: MapEdge[] }> {
  const prisma = getPrisma();
  const now = new Date();
  // Due now, whatever an earlier test file's cycles left.
  await prisma.telemetryWorkspace.updateMany({ data: { nextPollAt: null, lastPolledAt: null, failures: 0 } });
  const workspaces = await prisma.telemetryWorkspace.findMany({ where: { missingSince: null } });
  const polled = await pollWorkspaces({ config, workspaces, roles: [front, back], windowMinutes: 15, now, mapWindowsFor: () => ["1h"] });
  await refreshAppMap({ polled, now, cycleSeconds: config.health.pollSeconds });
  const snapshot = await prisma.appMapSnapshot.findUniqueOrThrow({ where: { window_environment: { window: "1h", environment: "" } } });
  return { nodes: snapshot.nodes as unknown as MapNode[], edges: snapshot.edges as unknown as MapEdge[] };
}

const route = (url: string, sessionToken = token) => callRoute(GET as unknown as RouteHandler, { method: "GET", url, sessionToken });
const edgeUrl = (source: string, target: string, query = "") =>
  `/api/v1/map/edges/${encodeURIComponent(source)}/${encodeURIComponent(target)}/operations${query}`;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

beforeAll(async () => {
  config = { ...getConfig(), health: { pollSeconds: 5 } };
  viewer = await createPerson(`viewer-${suffix}`);
  other = await createPerson(`other-${suffix}`);
  token = await signIn(viewer);
  await runOnSandboxCluster({
    namespace,
    team: "eo",
    replicas: 2,
    services: [
      { slug: back, imageRepository: "contoso.azurecr.io/eo/app" },
      {
        slug: front,
        imageRepository: "contoso.azurecr.io/eo/app",
        dependencies: [
          { kind: "service", target: back },
          { kind: "sql", target: database },
        ],
      },
    ],
  });
  await discoverTelemetry(config);
  // Telemetry starts with the Deployments: poll until both of front's calls are on the map.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const map = await refreshMap();
    const fromFront = map.edges.filter((edge) => edge.source === `role:${front}`);
    const sql = map.nodes.find((node) => node.kind === "external" && node.dependencyType === "SQL" && node.target?.includes(database));
    const toBack = fromFront.find((edge) => edge.target === `role:${back}`);
    if (sql && toBack && fromFront.some((edge) => edge.target === sql.id)) {
      sqlNode = sql;
      serviceEdge = toBack;
      break;
    }
    if (Date.now() > deadline) throw new Error(`front's calls did not reach the map: ${JSON.stringify(fromFront.map((edge) => edge.id))}`);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
  }
}, 150_000);

afterAll(async () => {
  await faults({}, "DELETE");
  resetEdgeOperationsState();
});

describe("getEdgeOperations against the sandbox", () => {
  it("a service edge: the callee's operations with their calls, failures, p95 and result codes", async () => {
    resetEdgeOperationsState();
    const view = await getEdgeOperations({ actor: viewer, input: { source: `role:${front}`, target: `role:${back}`, window: "1h" } });
    expect(view.edge).toEqual({ id: serviceEdge.id, source: `role:${front}`, target: `role:${back}`, window: "1h", environment: null });
    expect(view.operations.length).toBeGreaterThan(0);
    for (const row of view.operations) {
      expect(row.operation).toMatch(/^(GET|POST|DELETE) \/api\/\w+(\/\{id\})?$/);
      expect(row.calls).toBeGreaterThan(0);
      expect(row.failedCalls).toBeLessThanOrEqual(row.calls);
      expect(row.p95Ms).toBeGreaterThan(0);
      expect(row.topFailingResultCode === null).toBe(row.failedCalls === 0);
    }
    // Sorted by failures, then calls.
    const order = view.operations.map((row) => [-row.failedCalls, -row.calls]);
    expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    for (const row of view.resultCodes) expect(["200", "201", "500", "503"]).toContain(row.resultCode);
    // The query counts as the map counted: calls weighted by ItemCount over the last hour. Both windows end when each ran
    // (ago(1h)), seconds apart, so calls left at the window's start as others arrived at its end (CI saw 240 against the
    // map's 241): they agree within that drift, not exactly.
    const calls = view.operations.reduce((sum, row) => sum + row.calls, 0);
    expect(Math.abs(calls - serviceEdge.calls)).toBeLessThanOrEqual(Math.max(10, 0.1 * serviceEdge.calls));
    expect(view.resultCodes.reduce((sum, row) => sum + row.calls, 0)).toBe(calls);
    expect(view.failedWorkspaces).toEqual([]);
  });

  it("an external SQL edge: the statements' verbs on the table, and SQL error numbers when they fail", async () => {
    const view = await getEdgeOperations({ actor: viewer, input: { source: `role:${front}`, target: sqlNode.id, window: "1h" } });
    const table = database.replace(/[^A-Za-z0-9]+/g, "_");
    expect(view.operations.length).toBeGreaterThan(0);
    for (const row of view.operations) expect([`SELECT ${table}`, `INSERT ${table}`, `UPDATE ${table}`]).toContain(row.operation);
    for (const row of view.resultCodes) expect(["0", "-2", "1205", "40613"]).toContain(row.resultCode);
  });

  it("asks Log Analytics once per edge, whatever the number of viewers", async () => {
    resetEdgeOperationsState();
    const requests: string[] = [];
    const stop = observeLogsRequests((request) => requests.push(request.url));
    try {
      const viewers = [viewer, other, ...(await Promise.all([1, 2, 3].map((n) => createPerson(`crowd-${n}-${suffix}`))))];
      const views = await Promise.all(
        viewers.flatMap((actor) => [1, 2].map(() => getEdgeOperations({ actor, input: { source: `role:${front}`, target: `role:${back}` } }))),
      );
      expect(requests).toHaveLength(1);
      expect(new Set(views.map((view) => view.fetchedAt)).size).toBe(1);
      expect(views[0]!.nextQueryInSeconds).toBeGreaterThanOrEqual(60);
      // Another edge is its own query.
      await getEdgeOperations({ actor: viewer, input: { source: `role:${front}`, target: sqlNode.id } });
      expect(requests).toHaveLength(2);
    } finally {
      stop();
    }
  });

  it("a failing workspace: a 503 naming the workspace and its error, kept for the edge's minute; a throttled one is not asked before Retry-After", async () => {
    resetEdgeOperationsState();
    const requests: string[] = [];
    const stop = observeLogsRequests((request) => requests.push(request.url));
    try {
      await faults({ rules: [{ api: "logs", errorRate: 1, errorStatus: 500 }] });
      const failed = await refusal(getEdgeOperations({ actor: viewer, input: { source: `role:${front}`, target: `role:${back}` } }));
      expect(failed.code).toBe("dependency_unavailable");
      expect(failed.message).toMatch(/^Log Analytics did not answer for this edge: workspace log-wharf-[a-z]+: HTTP 500.+Try again\.$/);
      expect(failed.retryAfterSeconds).toBeGreaterThanOrEqual(59);
      const again = await refusal(getEdgeOperations({ actor: other, input: { source: `role:${front}`, target: `role:${back}` } }));
      expect(again.message).toBe(failed.message);
      expect(requests).toHaveLength(1);

      await faults({ rules: [{ api: "logs", errorRate: 1, errorStatus: 429, retryAfterSeconds: 300 }] });
      const throttled = await refusal(getEdgeOperations({ actor: viewer, input: { source: `role:${front}`, target: sqlNode.id } }));
      expect(throttled.message).toMatch(/HTTP 429.*\(retry after 300 s\)/);
      expect(throttled.retryAfterSeconds).toBeGreaterThanOrEqual(299);
      expect(requests).toHaveLength(2);
      // The workspace said to wait: once the edges' answers are forgotten, neither edge asks it before then.
      await faults({}, "DELETE");
      resetEdgeOperationsState({ keepThrottling: true });
      const waiting = await refusal(getEdgeOperations({ actor: viewer, input: { source: `role:${front}`, target: `role:${back}` } }));
      expect(waiting.message).toMatch(/Log Analytics is throttling Wharf's queries to this workspace; it may be asked again in (299|300) s/);
      expect(waiting.retryAfterSeconds).toBeGreaterThanOrEqual(299);
      expect(requests).toHaveLength(2);
    } finally {
      stop();
      await faults({}, "DELETE");
    }
  });
});

describe("GET /api/v1/map/edges/{source}/{target}/operations", () => {
  it("answers the edge's operations", async () => {
    resetEdgeOperationsState();
    const response = await route(edgeUrl(`role:${front}`, `role:${back}`, "?window=1h"));
    expect(response.status).toBe(200);
    const body = (await response.json()) as EdgeOperationsView;
    expect(body.edge.id).toBe(serviceEdge.id);
    expect(body.operations.length).toBeGreaterThan(0);
  });

  it("400 for a bad window, environment or node id, naming what to change", async () => {
    for (const [url, path, message] of [
      [edgeUrl(`role:${front}`, `role:${back}`, "?window=2h"), "window", /window must be one of 1h, 24h, 7d/],
      [edgeUrl("workflow", `role:${back}`), "source", /source must be a map node id as GET \/api\/v1\/map returns it/],
      [edgeUrl(`role:${front}`, "team:drones"), "target", /target must be a map node id/],
      [edgeUrl(`role:${front}`, `role:${back}`, `?environment=${"x".repeat(41)}`), "environment", /./],
      [`/api/v1/map/edges/${encodeURIComponent(`role:${front}`)}/role%3A%E0%A4/operations`, undefined, /not valid URL-encoded text/],
    ] as const) {
      const response = await route(url);
      const body = (await response.json()) as { error: { code: string; message: string; path?: string[] } };
      expect(response.status, url).toBe(400);
      expect(body.error.code).toBe("invalid_input");
      expect(body.error.message).toMatch(message);
      if (path) expect(body.error.path).toEqual([path]);
    }
  });

  it("404 for an edge the map does not have, or a map not built", async () => {
    const unknown = await route(edgeUrl(`role:${back}`, `role:${front}`));
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /^The 1h map of the whole fleet has no edge from "role:eo-back-\w+" to "role:eo-front-\w+"\. Use an edge GET \/api\/v1\/map lists/,
    );
    const unbuilt = await route(edgeUrl(`role:${front}`, `role:${back}`, "?environment=nowhere"));
    expect(unbuilt.status).toBe(404);
    expect(((await unbuilt.json()) as { error: { message: string } }).error.message).toMatch(/map of the nowhere environment has not been built yet/);
  });

  it("401 without a session", async () => {
    expect((await route(edgeUrl(`role:${front}`, `role:${back}`), "")).status).toBe(401);
  });

  it(`429 with Retry-After past ${edgeOperationsRateLimit.limit} requests a minute from one user; others are not held back`, async () => {
    resetEdgeOperationsState();
    const url = edgeUrl(`role:${front}`, `role:${back}`);
    for (let i = 0; i < edgeOperationsRateLimit.limit; i++) expect((await route(url)).status).toBe(200);
    const limited = await route(url);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await limited.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toMatch(/^You opened more than 20 edges' operations in a minute.+Try again in \d+ s\.$/);
    const otherToken = await signIn(other);
    expect((await route(url, otherToken)).status).toBe(200);
  });
});
