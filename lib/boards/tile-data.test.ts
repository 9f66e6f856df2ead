// Integration (embedded PostgreSQL): the cost and map tiles' data on a board's
// snapshot, read from the stored cost rows (through lib/costs's read) and the
// stored map snapshot (through lib/appmap's read); who may put cost on a wall.
// Cost rows in a random far-future month so no other test's rows fall in it.
import { randomBytes, randomInt, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { runOnOwnDatabase } from "@/lib/db/testing/scratch-database";
import type { SystemActor, UserActor } from "@/lib/auth/permissions";
import type { MapEdge, MapNode } from "@/lib/appmap/types";
import { createBoard } from "./create-board";
import { updateBoard } from "./update-board";
import { getBoardSnapshot } from "./get-board-snapshot";
import { mapTileData } from "./map-tile-data";
import { refreshCostAllocationNow } from "@/lib/costs/cost-allocation";
import type { CostData, MapData } from "./board-snapshot";

const suffix = randomBytes(3).toString("hex");
const year = 2100 + randomInt(800);
const now = new Date(`${year}-03-10T12:00:00Z`);
const asOf = new Date(`${year}-03-10T06:00:00Z`);
// A real environment: this file has its own database (runOnOwnDatabase), so no other file's snapshot for it is met.
const environment = "prod";
const system: SystemActor = { kind: "system", name: "test" };
const base = { kind: "user", name: "T", email: "t@example.com" } as const;
let admin: UserActor;
let member: UserActor;
let team: { id: string; slug: string; name: string };
let other: { id: string; slug: string; name: string };

const node = (id: string, teamSlug: string | null, kind: MapNode["kind"] = "service"): MapNode => ({
  id,
  kind,
  label: `${id.split(":").at(-1)} label`,
  team: teamSlug ? { slug: teamSlug, name: teamSlug } : null,
  ...(kind === "service" && { serviceSlug: id.slice(4) }),
  health: kind === "service" ? "healthy" : null,
});
const edge = (source: string, target: string, calls: number, failedCalls: number): MapEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  calls,
  failedCalls,
  failurePct: calls ? (failedCalls / calls) * 100 : null,
  avgMs: 5,
  p95Ms: 9,
  declaration: "declared",
  selfCall: false,
  stale: false,
});

runOnOwnDatabase();

beforeAll(async () => {
  const prisma = getPrisma();
  team = await prisma.team.create({ data: { slug: `ct${suffix}`, name: `Cost ${suffix}`, entraGroupIds: [] }, select: { id: true, slug: true, name: true } });
  other = await prisma.team.create({ data: { slug: `co${suffix}`, name: `Other ${suffix}`, entraGroupIds: [] }, select: { id: true, slug: true, name: true } });
  admin = { ...base, userId: randomUUID(), isAdmin: true, teams: [] };
  member = { ...base, userId: randomUUID(), isAdmin: false, teams: [team] };
  // Tagged resources outside any cluster go straight to their team (decision 0023).
  const row = (date: string, teamSlug: string, costMinor: number) => ({
    scope: `subscriptions/tiles-${suffix}`,
    date: new Date(`${date}T00:00:00Z`),
    resourceId: `/subscriptions/tiles-${suffix}/resourcegroups/rg/providers/microsoft.storage/storageaccounts/${teamSlug}`,
    resourceGroup: "rg",
    team: teamSlug,
    costMinor: BigInt(costMinor),
    currency: "EUR",
    asOf,
  });
  await prisma.costRow.createMany({
    data: [
      // 4 to 10 Mar: the last 7 days; the 7 before: 25 Feb to 3 Mar, or 26 Feb in a leap year (the random year was 2752
      // when this read 25 Feb and failed); March so far: month to date.
      row(`${year}-02-27`, team.slug, 100),
      row(`${year}-02-26`, team.slug, 100),
      row(`${year}-03-01`, team.slug, 100),
      row(`${year}-03-05`, team.slug, 300),
      row(`${year}-03-10`, team.slug, 250),
      row(`${year}-03-05`, other.slug, 1000),
    ],
  });
  // Reads take the allocation stored at sync (decision 0035); a sync stores it in the transaction that writes the rows.
  await refreshCostAllocationNow({ from: `${year}-02-01`, to: `${year}-03-31` });
  await prisma.cluster.create({
    data: {
      armId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/tm-${suffix}`,
      name: `tm-${suffix}`,
      subscriptionId: "s",
      resourceGroup: "rg",
      location: "westeurope",
      environment,
    },
  });
  const nodes = [
    node(`svc:a-${suffix}`, team.slug),
    node(`svc:b-${suffix}`, team.slug),
    node(`svc:z-${suffix}`, other.slug),
    node("ext:SQL:db", null, "external"),
  ];
  const edges = [
    edge(nodes[0]!.id, nodes[1]!.id, 100, 10),
    edge(nodes[1]!.id, "ext:SQL:db", 200, 40),
    edge(nodes[0]!.id, "ext:SQL:db", 50, 0),
    edge(nodes[2]!.id, "ext:SQL:db", 10, 9),
  ];
  await prisma.appMapSnapshot.create({
    data: {
      window: "24h",
      environment,
      nodes: nodes as never,
      edges: edges as never,
      notSeen: [],
      sources: [{ workspace: "log-x", fetchedAt: asOf.toISOString(), error: "429 Too Many Requests" }],
      topologyKey: "k",
      positions: {},
      layoutMethod: "full",
      laidOutAt: asOf,
      builtAt: asOf,
    },
  });
});

describe("cost tile", () => {
  it("shows a team's month to date, its days and the week's trend, and everyone's for the whole bill", async () => {
    const board = await createBoard({
      actor: admin,
      input: {
        slug: `cost-${suffix}`,
        name: "Cost",
        teamId: null,
        tiles: [
          { kind: "cost", id: "ours", x: 0, y: 0, w: 6, h: 3, team: team.slug },
          { kind: "cost", id: "all", x: 6, y: 0, w: 6, h: 3 },
        ],
      },
    });
    const snapshot = await getBoardSnapshot({ actor: system, boardId: board.id, now, fresh: true });
    const ours = snapshot.tiles.ours as CostData;
    expect(ours).toMatchObject({
      kind: "cost",
      team: team.slug,
      currency: "EUR",
      minorUnitDigits: 2,
      from: `${year}-03-01`,
      to: `${year}-03-10`,
      monthToDateMinor: 650,
      lastWeekMinor: 550,
      previousWeekMinor: 300,
      asOf: asOf.toISOString(),
    });
    expect(ours.dailyMinor).toEqual([100, 0, 0, 0, 300, 0, 0, 0, 0, 250]);
    // No forecast of Cost Management's stored for the month: the run rate of the 10 days reported, said so.
    expect(ours).toMatchObject({ forecastMinor: Math.round((650 * 31) / 10), forecastSource: "run-rate" });
    expect(ours.forecastBasis).toMatch(/run rate, not Cost Management's forecast/);
    expect(ours.staleAfterSeconds).toBeGreaterThan(3600);
    const all = snapshot.tiles.all as CostData;
    expect(all).toMatchObject({ team: null, monthToDateMinor: 1650, lastWeekMinor: 1550 });
  });

  it("lets only whom may read the cost put it on a board", async () => {
    const ours = await createBoard({ actor: member, input: { slug: `costm-${suffix}`, name: "Ours", teamId: team.id } });
    await updateBoard({ actor: member, slug: ours.slug, input: { tiles: [{ kind: "cost", id: "c", x: 0, y: 0, w: 4, h: 3, team: team.slug }] } });
    await expect(
      updateBoard({ actor: member, slug: ours.slug, input: { tiles: [{ kind: "cost", id: "c", x: 0, y: 0, w: 4, h: 3, team: other.slug }] } }),
    ).rejects.toMatchObject({ code: "forbidden", message: expect.stringContaining(`cost of team "${other.slug}"`) });
    await expect(updateBoard({ actor: member, slug: ours.slug, input: { tiles: [{ kind: "cost", id: "c", x: 0, y: 0, w: 4, h: 3 }] } })).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("only platform admins"),
    });
  });

  it("says on the tile when its team was archived, and keeps the rest of the board", async () => {
    const gone = await getPrisma().team.create({ data: { slug: `cg${suffix}`, name: "Gone", entraGroupIds: [] } });
    const board = await createBoard({
      actor: admin,
      input: {
        slug: `costg-${suffix}`,
        name: "Gone",
        teamId: null,
        tiles: [
          { kind: "cost", id: "gone", x: 0, y: 0, w: 6, h: 3, team: gone.slug },
          { kind: "cost", id: "ours", x: 6, y: 0, w: 6, h: 3, team: team.slug },
        ],
      },
    });
    await getPrisma().team.update({ where: { id: gone.id }, data: { archivedAt: now } });
    const snapshot = await getBoardSnapshot({ actor: system, boardId: board.id, now, fresh: true });
    expect(snapshot.tiles.gone!.error).toContain("was archived");
    expect((snapshot.tiles.ours as CostData).monthToDateMinor).toBe(650);
  });
});

describe("map tile", () => {
  it("counts a team's slice and lists its edges failing most, with the snapshot's age and failing workspaces", async () => {
    const data = await mapTileData({ team: team.slug, environment, window: "24h", staleAfterSeconds: 120 });
    expect(data).toMatchObject({ kind: "map", nodes: 3, edges: 3, asOf: asOf.toISOString(), staleAfterSeconds: 120 });
    const summary = { declaration: "declared", stale: false };
    expect(data.failingEdges).toEqual([
      { id: `svc:b-${suffix}->ext:SQL:db`, source: `b-${suffix} label`, target: "db label", calls: 200, failedCalls: 40, failurePct: 20, ...summary },
      {
        id: `svc:a-${suffix}->svc:b-${suffix}`,
        source: `a-${suffix} label`,
        target: `b-${suffix} label`,
        calls: 100,
        failedCalls: 10,
        failurePct: 10,
        ...summary,
      },
    ]);
    expect(data.nodeProblems).toEqual([]);
    expect(data.sourceErrors).toEqual(["log-x: 429 Too Many Requests"]);
    const fleet = await mapTileData({ team: null, environment, window: "24h", staleAfterSeconds: 120 });
    expect(fleet).toMatchObject({ nodes: 4, edges: 4 });
    expect(fleet.failingEdges[0]).toMatchObject({ failedCalls: 9, failurePct: 90 });
  });

  it("has no data and no error before a map is built, and says so when the environment has no cluster", async () => {
    const empty = await mapTileData({ team: team.slug, environment, window: "7d", staleAfterSeconds: 120 });
    expect(empty).toMatchObject({ asOf: null, nodes: 0, edges: 0, failingEdges: [], nodeProblems: [] });
    expect(empty.error).toBeUndefined();
    const unknown = await mapTileData({ team: null, environment: `none-${suffix}`, window: "1h", staleAfterSeconds: 120 });
    expect(unknown.error).toContain(`No cluster serves the environment "none-${suffix}"`);
  });

  it("is on a board's snapshot, stale after two health cycles", async () => {
    const board = await createBoard({
      actor: admin,
      input: { slug: `map-${suffix}`, name: "Map", teamId: null, tiles: [{ kind: "map", id: "m", x: 0, y: 0, w: 6, h: 4, team: team.slug, window: "24h" }] },
    });
    const snapshot = await getBoardSnapshot({ actor: system, boardId: board.id, now, fresh: true });
    const data = snapshot.tiles.m as MapData;
    expect(data).toMatchObject({ kind: "map", team: team.slug, environment: null, window: "24h" });
    expect(data.staleAfterSeconds).toBe(2 * snapshot.pollSeconds);
  });
});
