// Runs every documented GET operation (and the safe POSTs) against the real
// route handlers, signed in as an admin over seeded data in the test
// PostgreSQL and the sandbox's clusters, and validates each real response body
// against the schema the OpenAPI document gives for it. The document's JSON
// Schema is turned into a validator by zod itself (z.fromJSONSchema), so
// this checks the published document, not the zod views it came from.
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { openApiValidator } from "@/lib/api/openapi-validator";
import { getPrisma } from "@/lib/db/client";
import { createService } from "@/lib/catalog/create-service";
import { createDeployment } from "@/lib/deployments/create-deployment";
import { stopRolloutInformers } from "@/lib/deployments/rollout-informers";
import { rolloutDeployment } from "@/lib/deployments/rollout-deployment";
import { getDeployment } from "@/lib/deployments/list-deployments";
import { stopBoss } from "@/lib/jobs/boss";
import { createBoard } from "@/lib/boards/create-board";
import { createDisplay } from "@/lib/boards/create-display";
import { createPlaylist } from "@/lib/boards/create-playlist";
import { createPerson, createTeam, discoverSandboxClusters, readyNamespace, signIn, smallDeploySpec } from "@/lib/test-support/team-fixture";

type Operation = { operationId: string; responses: Record<string, { content?: Record<string, { schema?: object }> }> };
const doc = openApiDocument("http://localhost:3000");
const paths = doc.paths as unknown as Record<string, Record<string, Operation>>;

/** The route module that serves a documented path: {param} → [param]. */
async function handlerFor(path: string, method: string): Promise<RouteHandler> {
  const folder = path.replace(/^\/api\/v1/, "").replace(/\{(\w+)\}/g, "[$1]");
  const route = (await import(join(process.cwd(), "app", "api", "v1", folder, "route.ts"))) as Record<string, RouteHandler>;
  return route[method.toUpperCase()]!;
}

const suffix = randomBytes(3).toString("hex");
const group = `0c9d7e8f-5555-4c6a-9f00-${randomBytes(6).toString("hex")}`;
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await createTeam(`oa${suffix}`, `Contract ${suffix}`, { group });
  const admin = await createPerson(`Admin${suffix}`, { isAdmin: true, teams: [team], group });
  const member = await createPerson(`Member${suffix}`, { teams: [team], group });
  token = await signIn(admin);
  const service = await createService({
    actor: admin,
    input: {
      slug: `oa-api-${suffix}`,
      displayName: "Contract API",
      ownerTeam: team.slug,
      tier: "standard",
      lifecycle: "production",
      deploySpec: smallDeploySpec(`contoso.azurecr.io/oa${suffix}/api`),
    } as never,
  });
  await discoverSandboxClusters({ "aks-dev-weu": "dev" });
  const namespaceId = await readyNamespace({
    requester: member,
    approver: admin,
    teamId: team.id,
    name: `oa${suffix}-dev`,
    justification: "OpenAPI contract tests",
  });
  const deployment = await createDeployment({ actor: admin, input: { service: service.slug, namespaceId, tag: "1.0.0" } });
  // Rolled out, so the deployment has a pod whose log GET /api/v1/deployments/{id}/logs reads.
  await rolloutDeployment({ deploymentId: deployment.id, timing: {} });
  const pod = (await getDeployment({ actor: admin, id: deployment.id })).pods[0]?.name;
  const board = await createBoard({
    actor: admin,
    input: {
      slug: `oa-board-${suffix}`,
      name: "Contract board",
      teamId: team.id,
      tiles: [{ kind: "fleet-health", id: "fleet", x: 0, y: 0, w: 6, h: 4, team: team.slug }],
    },
  });
  await createDisplay({ actor: admin, slug: board.slug, input: { label: "Contract screen" } });
  // An edge on the fleet's 1-hour map, for the edge drill-down (no stored rows: no workspace is asked, the lists are empty).
  const caller = { id: `role:oa-caller-${suffix}`, kind: "unknown", label: "caller", team: null, role: `oa-caller-${suffix}`, health: null };
  const callee = { id: `role:oa-callee-${suffix}`, kind: "unknown", label: "callee", team: null, role: `oa-callee-${suffix}`, health: null };
  const edge = { id: `${caller.id}->${callee.id}`, source: caller.id, target: callee.id, calls: 10, failedCalls: 1, failurePct: 10 };
  const mapEdge = { ...edge, avgMs: 5, p95Ms: 9, declaration: "not-applicable", selfCall: false, stale: false };
  const fleetMap = await prisma.appMapSnapshot.findUnique({ where: { window_environment: { window: "1h", environment: "" } } });
  const mapData = {
    nodes: [...((fleetMap?.nodes as object[] | undefined) ?? []), caller, callee],
    edges: [...((fleetMap?.edges as object[] | undefined) ?? []), mapEdge],
  };
  await prisma.appMapSnapshot.upsert({
    where: { window_environment: { window: "1h", environment: "" } },
    create: {
      window: "1h",
      environment: "",
      ...mapData,
      notSeen: [],
      sources: [],
      topologyKey: "k",
      positions: {},
      layoutMethod: "full",
      laidOutAt: new Date(),
      builtAt: new Date(),
    },
    update: mapData,
  });
  const playlist = await createPlaylist({
    actor: admin,
    input: { slug: `oa-playlist-${suffix}`, name: "Contract playlist", teamId: team.id, boards: [{ board: board.slug, seconds: 30 }] },
  });
  await createDisplay({ actor: admin, slug: playlist.slug, target: "playlist", input: { label: "Contract rotation" } });
  Object.assign(ids, {
    edgeSource: caller.id,
    edgeTarget: callee.id,
    boardSlug: board.slug,
    playlistSlug: playlist.slug,
    serviceSlug: service.slug,
    teamSlug: team.slug,
    namespaceId,
    // The request that made the namespace (approved).
    requestId: (await prisma.namespaceRequest.findFirstOrThrow({ where: { namespaceId, kind: "create" } })).id,
    deploymentId: deployment.id,
    podName: pod ?? "",
  });
});

afterAll(async () => {
  await stopRolloutInformers();
  await stopBoss();
});

function paramsFor(path: string): Record<string, string> {
  if (path.startsWith("/api/v1/services/")) return { slug: ids.serviceSlug! };
  if (path.startsWith("/api/v1/teams/")) return { slug: ids.teamSlug! };
  if (path.startsWith("/api/v1/boards/")) return { slug: ids.boardSlug! };
  if (path.startsWith("/api/v1/playlists/")) return { slug: ids.playlistSlug! };
  if (path.startsWith("/api/v1/namespaces/")) return { id: ids.namespaceId! };
  if (path.startsWith("/api/v1/namespace-requests/")) return { id: ids.requestId! };
  if (path.startsWith("/api/v1/deployments/")) return { id: ids.deploymentId! };
  if (path.startsWith("/api/v1/map/edges/")) return { source: ids.edgeSource!, target: ids.edgeTarget! };
  return {};
}

// The stream never ends by itself: its contract (events) is tested in lib/changes.
const skipped = new Set(["streamChanges"]);
const gets = Object.entries(paths).flatMap(([path, item]) => (item.get && !skipped.has(item.get.operationId) ? [{ path, operation: item.get }] : []));

describe("OpenAPI document against real responses", () => {
  it.each(gets.map(({ path, operation }) => [operation.operationId, path, operation] as const))(
    "GET %s (%s) answers what the document says",
    async (_id, path, operation) => {
      const params = paramsFor(path);
      const query = operation.operationId === "getDeploymentLog" ? `?pod=${ids.podName}` : "";
      const url = path.replace(/\{(\w+)\}/g, (_match, name: string) => encodeURIComponent(params[name]!)) + query;
      const response = await callRoute(await handlerFor(path, "get"), { method: "GET", url, params, sessionToken: token });
      const [status, documented] = Object.entries(operation.responses).find(([code]) => code.startsWith("2"))!;
      const text = await response.text();
      expect(response.status, text.slice(0, 500)).toBe(Number(status));
      const [mediaType, media] = Object.entries(documented.content!)[0]!;
      expect(response.headers.get("content-type")).toContain(mediaType);
      const body = mediaType === "application/json" ? (JSON.parse(text) as unknown) : text;
      const result = openApiValidator(media.schema!).safeParse(body);
      expect(result.error?.issues.slice(0, 5) ?? []).toEqual([]);
    },
  );

  it("validates the safe POSTs too: preview a deployment, mark notifications read", async () => {
    for (const [path, body] of [
      ["/api/v1/deployments/preview", JSON.stringify({ service: ids.serviceSlug, namespaceId: ids.namespaceId, tag: "1.0.1" })],
      ["/api/v1/notifications", undefined],
    ] as const) {
      const operation = paths[path]!.post!;
      const response = await callRoute(await handlerFor(path, "post"), { method: "POST", url: path, sessionToken: token, body });
      const text = await response.text();
      expect(response.status, text.slice(0, 500)).toBe(200);
      const result = openApiValidator(operation.responses["200"]!.content!["application/json"]!.schema!).safeParse(JSON.parse(text));
      expect(result.error?.issues.slice(0, 5) ?? [], path).toEqual([]);
    }
  });

  it("rejects a body that does not fit: the validator is not a pass-through", () => {
    const teams = openApiValidator(paths["/api/v1/teams"]!.get!.responses["200"]!.content!["application/json"]!.schema!);
    expect(teams.safeParse({ teams: [{ id: "x" }] }).success).toBe(false);
  });
});
