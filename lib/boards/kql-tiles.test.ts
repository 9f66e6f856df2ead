// Integration: a board's KQL tiles against the embedded PostgreSQL and the
// sandbox's Log Analytics (real KQL), no mocks. Saving refuses a query the
// parser refuses; the poller's step runs the tiles and stores their rows or
// their error; a screen's snapshot reads what is stored and causes no query.
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig, type WharfConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { observeLogsRequests, queryBatch } from "@/lib/azure/logs";
import { discoverTelemetry } from "@/lib/health/discover-telemetry";
import { deleteObject } from "@/lib/kubernetes/apply";
import { actorOnly, createTeam, runOnSandboxCluster } from "@/lib/test-support/team-fixture";
import { createBoard } from "./create-board";
import { updateBoard } from "./update-board";
import { getBoard } from "./get-board";
import { getBoardSnapshot } from "./get-board-snapshot";
import { runKqlTiles } from "./run-kql-tiles";
import { pollHealth } from "@/lib/telemetry/poll-health";
import type { KqlData } from "./board-snapshot";

const suffix = randomBytes(3).toString("hex");
const workspace = "log-wharf-nonprod";
let config: WharfConfig;
let admin: UserActor;
const boardIds: string[] = [];
const namespace = `kql-${suffix}`;
const role = `kql-app-${suffix}`;
const otherRole = `kql-other-${suffix}`;
let kube: Awaited<ReturnType<typeof runOnSandboxCluster>>;

const kql = (id: string, query: string, extra: Record<string, unknown> = {}) => ({ kind: "kql", id, x: 0, y: 0, w: 6, h: 4, workspace, query, ...extra });
const workspaces = async () => getPrisma().telemetryWorkspace.findMany({ where: { missingSince: null } });

beforeAll(async () => {
  config = getConfig();
  // A workload on a dev cluster (dev writes to log-wharf-nonprod): the sandbox's telemetry follows what runs. A second
  // workload in the same workspace: another role, whose rows a team's tile must not see unless the team owns it.
  kube = await runOnSandboxCluster({
    namespace,
    team: "kql",
    services: [
      { slug: role, imageRepository: "contoso.azurecr.io/kql/app" },
      { slug: otherRole, imageRepository: "contoso.azurecr.io/kql/other" },
    ],
  });
  await discoverTelemetry(config);
  admin = actorOnly("Ada Admin", { isAdmin: true });
});

afterAll(async () => {
  // The health cycle runs every stored board's KQL tiles: leave none for the other tests' cycles to send.
  await getPrisma().board.deleteMany({ where: { id: { in: boardIds } } });
  await deleteObject(kube, { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } });
});

describe("a KQL tile", () => {
  it("on a board for everyone is added, or its query changed, only by an admin; on a team's board by a member, scoped", async () => {
    const team = await createTeam(`kqt${suffix}`, `KQL team ${suffix}`);
    const member = actorOnly("Mo Member", { teams: [team] });
    const slug = `kqm-${suffix}`;
    const board = await createBoard({ actor: member, input: { slug, name: "Ours", teamId: team.id } });
    boardIds.push(board.id);
    const tile = kql("requests", "AppRequests | summarize count() by bin(TimeGenerated, 5m)");
    await updateBoard({ actor: member, slug, input: { tiles: [tile] } });
    await updateBoard({ actor: member, slug, input: { tiles: [{ ...tile, x: 6, query: "AppExceptions | take 10" }] } });
    expect((await getBoard({ actor: member, slug })).board.tiles).toEqual([expect.objectContaining({ kind: "kql", x: 6, query: "AppExceptions | take 10" })]);

    // An admin's board for everyone may read the whole workspace; given to a team, its query is checked as the team's.
    const fleet = await createBoard({
      actor: admin,
      input: { slug: `kqf-${suffix}`, name: "Fleet", teamId: null, tiles: [kql("all", "union * | summarize count() by Type")] },
    });
    boardIds.push(fleet.id);
    await expect(updateBoard({ actor: admin, slug: fleet.slug, input: { teamId: team.id } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["tiles", 0, "query"],
      message: expect.stringContaining("Tile \"all\": On a team's board a query reads only the team's own rows"),
    });
    expect((await getBoard({ actor: admin, slug: fleet.slug })).board.team).toBeNull();
  });

  it.each([
    ["union * | count", '"*" (a wildcard table reference) reads every matching table of the workspace; name the tables, such as union AppRequests'],
    ["union App* | count", '"App*" (a wildcard table reference)'],
    ['search "timeout"', "search reads every table of the workspace; start from a table and filter it"],
    ['find "timeout"', "find reads every table of the workspace; start from a table and filter it"],
    ['workspace("other").AppRequests | count', "workspace() reads another workspace, application or table by name at run time; write the table's name"],
    ['app("other-app").requests | count', "app() reads another workspace, application or table by name at run time"],
    ['resource("/subscriptions/x").AppRequests | count', "resource() reads another workspace, application or table by name at run time"],
    ['cluster("help").database("Samples").StormEvents | count', "cluster() reads another workspace, application or table by name at run time"],
    ['database("other").AppRequests | count', "database() reads another workspace, application or table by name at run time"],
    ['table("ContainerLog") | count', "table() reads another workspace, application or table by name at run time"],
    ['externaldata (x: string) [@"https://example.com/x.csv"]', "externaldata reads from outside the workspace"],
    ["AppRequests | evaluate bag_unpack(Properties)", "evaluate runs a plugin, which may read beyond the team's telemetry"],
    ["ContainerLogV2 | take 5", "The name 'ContainerLogV2' does not refer to any known table, tabular variable or function."],
    ["MyStoredFunction() | take 5", "The name 'MyStoredFunction' does not refer to any known function."],
  ])("on a team's board refuses %j on save, saying what to write instead: %j", async (query, message) => {
    const team = await getPrisma().team.findUniqueOrThrow({ where: { slug: `kqt${suffix}` }, select: { id: true, slug: true, name: true } });
    const member = actorOnly("Mo", { teams: [team] });
    const before = (await getBoard({ actor: member, slug: `kqm-${suffix}` })).board.tiles;
    const error = await updateBoard({ actor: member, slug: `kqm-${suffix}`, input: { tiles: [kql("escape", query)] } }).catch((caught) => caught);
    expect(error).toMatchObject({ code: "invalid_input", path: ["tiles", 0, "query"] });
    expect(error.message).toMatch(/^Tile "escape": On a team's board a query reads only the team's own rows of AppRequests, /);
    expect(error.message).toContain(message);
    expect((await getBoard({ actor: member, slug: `kqm-${suffix}` })).board.tiles).toEqual(before);
  });

  it("is refused when its query does not parse, naming the tile and the parser's message, or its workspace is unknown; nothing is saved", async () => {
    const slug = `kq-${suffix}`;
    await expect(
      createBoard({ actor: admin, input: { slug, name: "KQL", teamId: null, tiles: [kql("requests", "AppRequests | where")] } }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      path: ["tiles", 0, "query"],
      message: 'Tile "requests": The KQL query does not parse: Missing expression (at line 1, column 20)',
    });
    await expect(
      createBoard({ actor: admin, input: { slug, name: "KQL", teamId: null, tiles: [kql("requests", "AppRequests | take 5", { workspace: "log-nowhere" })] } }),
    ).rejects.toMatchObject({ code: "invalid_input", path: ["tiles", 0, "workspace"], message: expect.stringContaining('"log-nowhere"') });
    await expect(
      createBoard({ actor: admin, input: { slug, name: "KQL", teamId: null, tiles: [kql("requests", "AppRequests\u0007 | take 5")] } }),
    ).rejects.toMatchObject({ code: "invalid_input", path: ["tiles", 0, "query"], message: expect.stringContaining("control character") });
    expect(await getPrisma().board.count({ where: { slug } })).toBe(0);

    const board = await createBoard({ actor: admin, input: { slug, name: "KQL", teamId: null } });
    boardIds.push(board.id);
    await expect(
      updateBoard({ actor: admin, slug, input: { tiles: [kql("requests", "AppRequests | summarize count( by AppRoleName")] } }),
    ).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining('Tile "requests": The KQL query does not parse: Expected: )'),
    });
    expect((await getPrisma().board.findUniqueOrThrow({ where: { id: board.id } })).tiles).toEqual([]);
  });

  it("is run by the poller's step, which stores its rows (or its run-time error) for the snapshot; a screen causes no query", async () => {
    const query = `AppRequests | where AppRoleName == "${role}" | summarize requests = count() by bin(TimeGenerated, 5m)`;
    const unknownColumn = "AppRequests | summarize count() by NoSuchColumn";
    const board = await createBoard({
      actor: admin,
      input: {
        slug: `kr-${suffix}`,
        name: "KQL run",
        teamId: null,
        tiles: [kql("requests", query), kql("broken", unknownColumn, { x: 6, chart: "table" }), { kind: "clock", id: "clock", x: 0, y: 4, w: 3, h: 2 }],
      },
    });
    boardIds.push(board.id);
    const before = (await getBoardSnapshot({ actor: admin, boardId: board.id, fresh: true })).tiles.requests as KqlData;
    expect(before).toMatchObject({ kind: "kql", asOf: null, ranAt: null, rows: [] });

    // Telemetry starts with the Deployment: wait until the workspace has its requests (asked directly, as a test may).
    const customerId = (await workspaces()).find((row) => row.name === workspace)!.customerId;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [seen] = await queryBatch(config, [{ workspaceId: customerId, query: `AppRequests | where AppRoleName == "${role}" | count`, timespan: "PT1H" }]);
      if (seen?.status === "success" && Number(seen.tables[0]?.rows[0]?.[0]) > 0) break;
      if (Date.now() > deadline) throw new Error(`No requests of ${role} in ${workspace} after 60 s: ${JSON.stringify(seen)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    const now = new Date();
    const requests: string[][] = [];
    const stop = observeLogsRequests((request) => requests.push(request.workspaces));
    let summary;
    try {
      summary = await runKqlTiles({ config, now, workspaces: await workspaces() });
    } finally {
      stop();
    }
    // Both tiles of the one workspace went in one $batch request.
    expect(requests.filter((asked) => asked.includes(customerId))).toHaveLength(1);
    expect(summary.errors.filter((error) => error.board === `kr-${suffix}`)).toEqual([
      { board: `kr-${suffix}`, tile: "broken", error: expect.stringMatching(/NoSuchColumn/) },
    ]);

    const screenRequests: unknown[] = [];
    const stopScreen = observeLogsRequests((request) => screenRequests.push(request));
    const snapshot = await getBoardSnapshot({ actor: admin, boardId: board.id, fresh: true });
    stopScreen();
    expect(screenRequests).toEqual([]);
    const requestsTile = snapshot.tiles.requests as KqlData;
    expect(requestsTile).toMatchObject({ kind: "kql", asOf: now.toISOString(), ranAt: now.toISOString(), workspace, chart: "line", truncated: false });
    expect(requestsTile.error).toBeUndefined();
    expect(requestsTile.columns).toEqual([
      { name: "TimeGenerated", type: "datetime" },
      { name: "requests", type: "long" },
    ]);
    expect(requestsTile.rows.length).toBeGreaterThan(0);
    expect(requestsTile.rows.every(([at, count]) => typeof at === "string" && !Number.isNaN(Date.parse(at)) && typeof count === "number")).toBe(true);
    const broken = snapshot.tiles.broken as KqlData;
    expect(broken).toMatchObject({ kind: "kql", asOf: null, ranAt: now.toISOString(), rows: [], error: expect.stringMatching(/NoSuchColumn/) });
    expect(snapshot.tiles.clock).toMatchObject({ kind: "clock" });

    // Not due again before 5 minutes: the next cycles send nothing for these tiles.
    const again = observeLogsRequests((request) => screenRequests.push(request));
    await runKqlTiles({ config, now: new Date(now.getTime() + 60_000), workspaces: await workspaces() });
    again();
    expect(screenRequests.filter((request) => JSON.stringify(request).includes(customerId))).toEqual([]);

    // An edited query does not show the old query's rows; it is due at once.
    await updateBoard({ actor: admin, slug: `kr-${suffix}`, input: { tiles: [kql("requests", `${query} | where requests > 0`)] } });
    expect((await getBoardSnapshot({ actor: admin, boardId: board.id, fresh: true })).tiles.requests).toMatchObject({ asOf: null, rows: [] });
    await runKqlTiles({ config, now: new Date(now.getTime() + 61_000), workspaces: await workspaces() });
    // The removed tile's stored result is gone with it.
    expect(await getPrisma().boardKqlResult.findMany({ where: { boardId: board.id }, select: { tileId: true } })).toEqual([{ tileId: "requests" }]);
  });

  it("on a team's board reads only its services' roles, even asked for every role, and the team's services as they are at each run", async () => {
    const prisma = getPrisma();
    const team = await createTeam(`kqs${suffix}`, `KQL scope ${suffix}`);
    const service = (name: string, roleName: string | null) =>
      prisma.service.create({
        data: {
          slug: `${name}-${suffix}`,
          displayName: name,
          ownerTeamId: team.id,
          tier: "standard",
          lifecycle: "production",
          tags: [],
          searchText: name,
          appInsightsRoleName: roleName,
        },
      });
    await service("kqs-app", role);
    await service("kqs-no-role", null);
    // Both workloads' requests are in the workspace (asked directly, as a test may).
    const customerId = (await workspaces()).find((row) => row.name === workspace)!.customerId;
    const both = `AppRequests | where AppRoleName in ("${role}", "${otherRole}") | summarize dcount(AppRoleName)`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [seen] = await queryBatch(config, [{ workspaceId: customerId, query: both, timespan: "PT1H" }]);
      if (seen?.status === "success" && Number(seen.tables[0]?.rows[0]?.[0]) === 2) break;
      if (Date.now() > deadline) throw new Error(`Not both roles in ${workspace} after 60 s: ${JSON.stringify(seen)}`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    // The same query on a team's board and on a board for everyone: not one shared run.
    const query = 'AppRequests | where AppRoleName != "" | summarize n = count() by AppRoleName | order by AppRoleName asc';
    const ours = await createBoard({
      actor: admin,
      input: { slug: `ks-${suffix}`, name: "Scoped", teamId: team.id, tiles: [kql("mine", query, { chart: "table" })] },
    });
    const everyone = await createBoard({
      actor: admin,
      input: { slug: `ke-${suffix}`, name: "All", teamId: null, tiles: [kql("all", query, { chart: "table" })] },
    });
    boardIds.push(ours.id, everyone.id);
    const roles = async (boardId: string, tileId: string) => {
      const tile = (await getBoardSnapshot({ actor: admin, boardId, fresh: true })).tiles[tileId] as KqlData;
      expect(tile.error).toBeUndefined();
      return tile.rows.map((row) => row[0]);
    };

    const now = new Date();
    await runKqlTiles({ config, now, workspaces: await workspaces() });
    expect(await roles(ours.id, "mine")).toEqual([role]);
    expect(await roles(everyone.id, "all")).toEqual(expect.arrayContaining([role, otherRole]));

    // The team takes on the other workload's service: its next run reads both roles.
    await service("kqs-other", otherRole);
    await runKqlTiles({ config, now: new Date(now.getTime() + 6 * 60_000), workspaces: await workspaces() });
    expect(await roles(ours.id, "mine")).toEqual([role, otherRole]);
  });

  it("keeps the last rows with their age when a later run fails", async () => {
    const board = await createBoard({
      actor: admin,
      input: { slug: `kf-${suffix}`, name: "KQL fail", teamId: null, tiles: [kql("count", "AppRequests | summarize n = count()", { chart: "table" })] },
    });
    boardIds.push(board.id);
    const now = new Date();
    await runKqlTiles({ config, now, workspaces: await workspaces() });
    const first = (await getBoardSnapshot({ actor: admin, boardId: board.id, fresh: true })).tiles.count as KqlData;
    expect(first.rows).toHaveLength(1);
    // The workspace now refuses (its customer id is one Log Analytics does not know), past the 5 minutes.
    const later = new Date(now.getTime() + 6 * 60_000);
    const gone = (await workspaces()).map((row) => (row.name === workspace ? { ...row, customerId: randomUUID() } : row));
    await runKqlTiles({ config, now: later, workspaces: gone });
    const second = (await getBoardSnapshot({ actor: admin, boardId: board.id, fresh: true })).tiles.count as KqlData;
    expect(second).toMatchObject({ asOf: now.toISOString(), ranAt: later.toISOString(), rows: first.rows, error: expect.any(String) });
  });

  it("is run by the health cycle in the worker, after health's own queries", async () => {
    const board = await createBoard({
      actor: admin,
      input: {
        slug: `kc-${suffix}`,
        name: "KQL cycle",
        teamId: null,
        tiles: [kql("roles", `AppRequests | where AppRoleName == "${role}" | summarize n = count() by AppRoleName`, { chart: "bar" })],
      },
    });
    boardIds.push(board.id);
    const summary = await pollHealth({ config });
    expect(summary.kqlTiles).toMatchObject({ queries: expect.any(Number) });
    expect(summary.phases).toHaveProperty(["kql tiles"]);
    const tile = (await getBoardSnapshot({ actor: admin, boardId: board.id, fresh: true })).tiles.roles as KqlData;
    expect(tile).toMatchObject({ kind: "kql", chart: "bar", columns: [{ name: "AppRoleName" }, { name: "n" }], rows: [[role, expect.any(Number)]] });
    expect(tile.error).toBeUndefined();
  });
});
