// Integration: a board's new snapshot pushed through its screens' streams
// (decision 0041), through the real stream route against the test
// PostgreSQL: an edit reaches every screen of the board without a read of its
// own, all screens of a board get the same build, and a screen is written
// nothing of a board its token does not show.
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { DisplayActor, UserActor } from "@/lib/auth/permissions";
import { displayCookieName } from "@/lib/auth/display-token";
import { GET as streamRoute } from "@/app/display/[board]/stream/route";
import { createBoard } from "./create-board";
import { createDisplay } from "./create-display";
import { createPlaylist } from "./create-playlist";
import { deleteBoard } from "./delete-board";
import { updateBoard } from "./update-board";
import { updatePlaylist } from "./update-playlist";
import { watchBoardSnapshots } from "./board-snapshot-feed";
import type { BoardSnapshot, DisplaySnapshot, MapData } from "./board-snapshot";
import { publishChange } from "@/lib/changes/publish-change";
import { edgeFailure } from "@/lib/appmap/edge-failure";
import { edgeAccessibleName, edgeColours, edgeFailureWords } from "@/lib/appmap/map-marks";
import type { MapEdge, MapNode } from "@/lib/appmap/types";

const suffix = randomBytes(3).toString("hex");
let admin: UserActor;
const ids: Record<string, string> = {};
const open: Screen[] = [];

beforeAll(async () => {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Pia Push",
      email: `pia-${suffix}@example.com`,
      groupIds: [],
      appRoles: [getConfig().identity.adminAppRole],
      lastSignInAt: new Date(),
    },
  });
  admin = { kind: "user", userId: row.id, name: "Pia Push", email: row.email, isAdmin: true, teams: [] };
  for (const name of ["a", "b", "gone"]) {
    const board = await createBoard({
      actor: admin,
      input: { slug: `push-${name}-${suffix}`, name: `Board ${name}`, teamId: null, tiles: [{ kind: "clock", id: "clock", x: 0, y: 0, w: 4, h: 2 }] },
    });
    ids[name] = board.id;
  }
});

afterAll(() => {
  for (const screen of open) screen.close();
});

/** A screen's stream, read as EventSource would: its events in order. */
class Screen {
  private text = "";
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;
  private readonly decoder = new TextDecoder();
  ended = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.reader = body.getReader();
    open.push(this);
  }

  static async open(slug: string, token: string): Promise<Screen> {
    const response = await callRoute(streamRoute as unknown as RouteHandler, {
      method: "GET",
      url: `/display/${slug}/stream`,
      params: { board: slug },
      cookies: { [displayCookieName]: token },
    });
    expect(response.status).toBe(200);
    const screen = new Screen(response.body!);
    await screen.until((events) => events.some((event) => event.event === "ready"));
    return screen;
  }

  events(): { event: string; data: string }[] {
    return this.text
      .split("\n\n")
      .slice(0, -1)
      .flatMap((block) => {
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        return event && data !== undefined ? [{ event, data }] : [];
      });
  }

  /** The whole snapshots the stream sent so far (at its start, after a playlist's edit). */
  snapshots(): DisplaySnapshot[] {
    return this.events()
      .filter((event) => event.event === "snapshot")
      .map((event) => JSON.parse(event.data) as DisplaySnapshot);
  }

  /** The board snapshots pushed so far. */
  boards(): BoardSnapshot[] {
    return this.events()
      .filter((event) => event.event === "board")
      .map((event) => JSON.parse(event.data) as BoardSnapshot);
  }

  async until(done: (events: { event: string; data: string }[]) => boolean): Promise<void> {
    while (!done(this.events())) {
      const { value, done: ended } = await this.reader.read();
      if (ended) {
        this.ended = true;
        return;
      }
      this.text += this.decoder.decode(value, { stream: true });
    }
  }

  close() {
    void this.reader.cancel().catch(() => undefined);
  }
}

const named = (name: string) => (events: { event: string; data: string }[]) =>
  events.some((event) => event.event === "board" && (JSON.parse(event.data) as BoardSnapshot).board.name === name);

describe("a board's new snapshot pushed to its screens", () => {
  it("reaches every screen of the board through its stream, the same build for all, and nothing of it reaches another board's screen", async () => {
    const slugA = `push-a-${suffix}`;
    const slugB = `push-b-${suffix}`;
    const tokenA1 = (await createDisplay({ actor: admin, slug: slugA, input: { label: "A one" } })).token;
    const tokenA2 = (await createDisplay({ actor: admin, slug: slugA, input: { label: "A two" } })).token;
    const tokenB = (await createDisplay({ actor: admin, slug: slugB, input: { label: "B" } })).token;
    const [a1, a2, b] = await Promise.all([Screen.open(slugA, tokenA1), Screen.open(slugA, tokenA2), Screen.open(slugB, tokenB)]);
    // The stream starts with the screen's whole snapshot: no read of its own.
    expect(a1.snapshots()[0]!.boards.map((entry) => entry.board.name)).toEqual(["Board a"]);
    expect(b.snapshots()[0]!.boards.map((entry) => entry.board.id)).toEqual([ids.b]);

    await updateBoard({ actor: admin, slug: slugA, input: { name: "Board a renamed" } });
    await Promise.all([a1.until(named("Board a renamed")), a2.until(named("Board a renamed"))]);
    const pushed = (screen: Screen) => screen.events().find((event) => event.event === "board" && event.data.includes("Board a renamed"))!.data;
    // One build for both screens: the same bytes, down to its generatedAt.
    expect(pushed(a1)).toBe(pushed(a2));
    const snapshot = JSON.parse(pushed(a1)) as BoardSnapshot;
    expect(snapshot.board).toMatchObject({ id: ids.a, slug: slugA, name: "Board a renamed" });
    expect(snapshot.tiles.clock).toMatchObject({ kind: "clock" });

    // B's screen: its own board's edit, and nothing of A's before it (A's push was written before B's edit was made).
    await updateBoard({ actor: admin, slug: slugB, input: { name: "Board b renamed" } });
    await b.until(named("Board b renamed"));
    expect(b.boards().map((entry) => entry.board.id)).not.toContain(ids.a);
    expect(a1.boards().map((entry) => entry.board.id)).not.toContain(ids.b);
  });

  it("reaches a playlist's screen for each of its boards", async () => {
    const playlist = await createPlaylist({
      actor: admin,
      input: {
        slug: `push-list-${suffix}`,
        name: "Push list",
        teamId: null,
        boards: [
          { board: `push-a-${suffix}`, seconds: 10 },
          { board: `push-b-${suffix}`, seconds: 10 },
        ],
      },
    });
    const { token } = await createDisplay({ actor: admin, slug: playlist.slug, target: "playlist", input: { label: "List" } });
    const screen = await Screen.open(playlist.slug, token);
    await updateBoard({ actor: admin, slug: `push-b-${suffix}`, input: { name: "Board b again" } });
    await screen.until(named("Board b again"));
    await updateBoard({ actor: admin, slug: `push-a-${suffix}`, input: { name: "Board a again" } });
    await screen.until(named("Board a again"));

    // The playlist loses board A: its new rotation comes through the stream, and A's next edit is not written to it.
    await updatePlaylist({ actor: admin, slug: playlist.slug, input: { boards: [{ board: `push-b-${suffix}`, seconds: 10 }] } });
    await screen.until(() => screen.snapshots().length === 2);
    expect(screen.snapshots()[1]!.rotation).toEqual([{ boardId: ids.b, seconds: 10 }]);
    const witness = await Screen.open(`push-a-${suffix}`, (await createDisplay({ actor: admin, slug: `push-a-${suffix}`, input: { label: "A" } })).token);
    await updateBoard({ actor: admin, slug: `push-a-${suffix}`, input: { name: "Board a once more" } });
    await witness.until(named("Board a once more"));
    await updateBoard({ actor: admin, slug: `push-b-${suffix}`, input: { name: "Board b once more" } });
    await screen.until(named("Board b once more"));
    expect(screen.boards().map((entry) => entry.board.name)).not.toContain("Board a once more");
  });

  it("refuses to watch a board the screen's token does not show", async () => {
    const screenOfB: DisplayActor = {
      kind: "display",
      displayId: "00000000-0000-4000-8000-000000000000",
      boardId: ids.b!,
      playlistId: null,
      boardSlug: `push-b-${suffix}`,
      boardIds: [ids.b!],
      name: "Screen “B” (display)",
      isAdmin: false,
      teams: [],
    };
    const watcher = { send: () => undefined, gone: () => undefined };
    await expect(watchBoardSnapshots(screenOfB, ids.a!, watcher)).rejects.toMatchObject({ code: "forbidden" });
    const stop = await watchBoardSnapshots(screenOfB, ids.b!, watcher);
    stop();
  });

  it("tells a deleted board's screen it was refused, and ends its stream", async () => {
    const slug = `push-gone-${suffix}`;
    const { token } = await createDisplay({ actor: admin, slug, input: { label: "Gone" } });
    const screen = await Screen.open(slug, token);
    await deleteBoard({ actor: admin, slug });
    await screen.until((events) => events.some((event) => event.event === "refused"));
    expect(screen.events().find((event) => event.event === "refused")!.data).toContain('"reason":"unknown"');
    await screen.until(() => false);
    expect(screen.ended).toBe(true);
  });
});

describe("a board's map tile", () => {
  // A map snapshot of its own team in the test environment's 1-hour map, put back as it was after.
  const where = { window_environment: { window: "1h", environment: "test" } };
  let saved: Awaited<ReturnType<ReturnType<typeof getPrisma>["appMapSnapshot"]["findUnique"]>> = null;
  afterAll(async () => {
    const prisma = getPrisma();
    if (saved) {
      const { version: _version, ...row } = saved;
      await prisma.appMapSnapshot.update({ where, data: row as never });
    } else await prisma.appMapSnapshot.deleteMany({ where: where.window_environment });
  });

  it("is rebuilt and pushed on the health cycle's notice, marking an edge 'failing now' and its callee unhealthy as the map does", async () => {
    const prisma = getPrisma();
    saved = await prisma.appMapSnapshot.findUnique({ where });
    const team = await prisma.team.create({ data: { slug: `mt${suffix}`, name: `Map ${suffix}`, entraGroupIds: [] } });
    const service = (name: string, health: MapNode["health"]): MapNode => ({
      id: `svc:${name}-${suffix}`,
      kind: "service",
      label: name === "wf" ? "Workflow" : "Drone Scheduler",
      team: { slug: team.slug, name: team.name },
      serviceSlug: `${name}-${suffix}`,
      health,
    });
    const write = async (calleeHealth: MapNode["health"], edge: Pick<MapEdge, "calls" | "failedCalls" | "recent">) => {
      const nodes = [service("wf", "healthy"), service("ds", calleeHealth)];
      const edges: MapEdge[] = [
        {
          id: `${nodes[0]!.id}->${nodes[1]!.id}`,
          source: nodes[0]!.id,
          target: nodes[1]!.id,
          ...edge,
          failurePct: (100 * edge.failedCalls) / edge.calls,
          avgMs: 5,
          p95Ms: 9,
          declaration: "declared",
          selfCall: false,
          stale: false,
        },
      ];
      const row = {
        nodes: nodes as object[],
        edges: edges as object[],
        notSeen: [],
        sources: [],
        topologyKey: `k-${suffix}`,
        positions: {},
        layoutMethod: "full",
        laidOutAt: new Date(),
        builtAt: new Date(),
      };
      await prisma.appMapSnapshot.upsert({ where, create: { window: "1h", environment: "test", ...row }, update: row });
    };
    // Running well: a few failed calls over the hour, none in the last 2 minutes.
    await write("healthy", { calls: 4000, failedCalls: 8, recent: { minutes: 2, calls: 140, failedCalls: 0, failurePct: 0 } });
    const slug = `push-map-${suffix}`;
    await createBoard({
      actor: admin,
      input: {
        slug,
        name: "Map wall",
        teamId: null,
        tiles: [{ kind: "map", id: "m", x: 0, y: 0, w: 6, h: 4, team: team.slug, environment: "test", window: "1h" }],
      },
    });
    const screen = await Screen.open(slug, (await createDisplay({ actor: admin, slug, input: { label: "Map TV" } })).token);
    const first = screen.snapshots()[0]!.boards[0]!.tiles.m as MapData;
    expect(first).toMatchObject({ nodes: 2, edges: 1, nodeProblems: [] });
    expect(first.failingEdges).toHaveLength(1);
    expect(edgeFailure(first.failingEdges[0]!)).toEqual({ level: "ok", recentlyWorse: false });
    expect(edgeFailureWords(first.failingEdges[0]!)).toBeNull();

    // The next cycle: the callee's new pod crash-loops (unhealthy) and drops a share of the calls. The hour still reads 0.8 %.
    await write("unhealthy", { calls: 4000, failedCalls: 32, recent: { minutes: 2, calls: 140, failedCalls: 26, failurePct: (100 * 26) / 140 } });
    await publishChange({ kind: "health", id: "fleet" });
    const crashed = (events: { event: string; data: string }[]) =>
      events.some((event) => event.event === "board" && ((JSON.parse(event.data) as BoardSnapshot).tiles.m as MapData).nodeProblems.length > 0);
    await screen.until(crashed);
    const tile = screen
      .boards()
      .map((board) => board.tiles.m as MapData)
      .find((data) => data.nodeProblems.length > 0)!;
    expect(tile.nodeProblems).toEqual([{ id: `svc:ds-${suffix}`, label: "Drone Scheduler", health: "unhealthy" }]);
    const edge = tile.failingEdges[0]!;
    expect(edge).toMatchObject({ source: "Workflow", target: "Drone Scheduler", calls: 4000, failedCalls: 32, failurePct: 0.8 });
    // The tile draws it with the map's own marks: failing now, red, and the same accessible name as the map's edge.
    expect(edgeFailure(edge)).toEqual({ level: "failing", recentlyWorse: true });
    expect(edgeColours[edgeFailure(edge).level]).toBe(edgeColours.failing);
    expect(edgeAccessibleName(edge, edge.source, edge.target)).toBe(
      "Workflow calls Drone Scheduler: 4000 calls, 0.8 % failed, failing now (18.6 % of 140 calls in the last 2 minutes failed)",
    );
  });
});
