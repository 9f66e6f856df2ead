// Integration: pairing a screen with a short code, through the real route
// handlers and use case against the test PostgreSQL (decision 0026).
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { displayCookieName } from "@/lib/auth/display-token";
import { POST as startRoute } from "@/app/display/pair/start/route";
import { GET as statusRoute } from "@/app/display/pair/status/route";
import { GET as snapshotRoute } from "@/app/display/[board]/snapshot/route";
import { POST as pairBoardRoute } from "@/app/api/v1/boards/[slug]/pairings/route";
import { POST as pairPlaylistRoute } from "@/app/api/v1/playlists/[slug]/pairings/route";
import { createSession } from "@/lib/auth/session";
import { createPlaylist } from "./create-playlist";
import { createBoard } from "./create-board";
import { pairDisplay } from "./pair-display";
import { normalizePairingCode, pairingCookieName } from "./display-pairing";

const suffix = randomBytes(3).toString("hex");
const slug = `pair-${suffix}`;
let admin: UserActor;
let adminToken: string;
let outsider: UserActor;
const handler = (route: unknown) => route as RouteHandler;

beforeAll(async () => {
  const adminRow = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Ada Admin",
      email: `ada-p-${suffix}@example.com`,
      groupIds: [],
      appRoles: [getConfig().identity.adminAppRole],
      lastSignInAt: new Date(),
    },
  });
  admin = { kind: "user", userId: adminRow.id, name: "Ada Admin", email: adminRow.email, isAdmin: true, teams: [] };
  adminToken = (await createSession(adminRow.id, getConfig().session)).token;
  outsider = { kind: "user", userId: adminRow.id, name: "Otto Other", email: "otto@example.com", isAdmin: false, teams: [] };
  await createBoard({ actor: admin, input: { slug, name: "Paired wall", teamId: null, tiles: [{ kind: "clock", id: "clock", x: 0, y: 0, w: 4, h: 2 }] } });
});

function secretFrom(response: Response): string {
  const match = new RegExp(`${pairingCookieName}=([^;]+)`).exec(response.headers.get("set-cookie") ?? "");
  return match![1]!;
}

async function start() {
  const response = await callRoute(handler(startRoute), { method: "POST", url: "/display/pair/start" });
  expect(response.status).toBe(200);
  expect(response.headers.get("set-cookie")).toMatch(
    new RegExp(`${pairingCookieName}=wdt_[^;]+; Path=/display/pair; Expires=[^;]+; HttpOnly; SameSite=strict`, "i"),
  );
  const body = (await response.json()) as { code: string; expiresAt: string };
  expect(body.code).toMatch(/^[A-Z2-9]{3}-[A-Z2-9]{3}$/);
  return { code: body.code, secret: secretFrom(response) };
}

const status = (secret: string) => callRoute(handler(statusRoute), { method: "GET", url: "/display/pair/status", cookies: { [pairingCookieName]: secret } });

describe("pairing a screen with a code", () => {
  it("shows a code, and once a board's manager types it, trades the pairing cookie for the board's display cookie", async () => {
    const { code, secret } = await start();
    expect(await (await status(secret)).json()).toMatchObject({ state: "waiting", code });

    await expect(pairDisplay({ actor: outsider, slug, code, input: { label: "TV" } })).rejects.toMatchObject({ code: "forbidden" });
    const display = await pairDisplay({ actor: admin, slug, code: code.toLowerCase(), input: { label: "Team room TV" } });
    expect(display).toMatchObject({ label: "Team room TV", state: "active", createdByName: "Ada Admin" });
    await expect(pairDisplay({ actor: admin, slug, code, input: { label: "Again" } })).rejects.toMatchObject({ code: "conflict", path: ["code"] });

    const paired = await status(secret);
    expect(await paired.json()).toEqual({ state: "paired", board: slug });
    const cookies = paired.headers.get("set-cookie")!;
    expect(cookies).toMatch(new RegExp(`${displayCookieName}=${secret}; Path=/display/${slug}; Expires=[^;]+; HttpOnly; SameSite=strict`, "i"));
    expect(cookies).toMatch(new RegExp(`${pairingCookieName}=; Path=/display/pair; .*Max-Age=0`, "i"));
    // Used up: asking again pairs nothing more.
    expect(await (await status(secret)).json()).toEqual({ state: "unknown" });

    const snapshot = await callRoute(handler(snapshotRoute), {
      method: "GET",
      url: `/display/${slug}/snapshot`,
      params: { board: slug },
      cookies: { [displayCookieName]: secret },
    });
    expect(snapshot.status).toBe(200);
    expect(await getPrisma().auditEvent.count({ where: { resourceId: display.id, action: "display.pair", outcome: "success" } })).toBe(1);
  });

  it("refuses a malformed, unknown or expired code, each saying which, and pairs nothing", async () => {
    const before = await getPrisma().display.count();
    await expect(pairDisplay({ actor: admin, slug, code: "12", input: { label: "x" } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["code"],
      message: expect.stringContaining("6 letters and digits"),
    });
    await expect(pairDisplay({ actor: admin, slug, code: "AAA-AAA", input: { label: "x" } })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("No screen shows the code AAA-AAA"),
    });
    const { code, secret } = await start();
    await getPrisma().displayPairing.update({ where: { code: normalizePairingCode(code)! }, data: { expiresAt: new Date(Date.now() - 1000) } });
    await expect(pairDisplay({ actor: admin, slug, code, input: { label: "x" } })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("has expired"),
    });
    expect(await (await status(secret)).json()).toEqual({ state: "expired" });
    expect(await getPrisma().display.count()).toBe(before);
    expect(await (await status("wdt_nothing")).json()).toEqual({ state: "unknown" });
  });

  it("reads codes as people type them", () => {
    expect(normalizePairingCode("k7q-m4x")).toBe("K7QM4X");
    expect(normalizePairingCode("K7Q M4X")).toBe("K7QM4X");
    expect(normalizePairingCode("K7Q-M40")).toBeNull(); // 0 is never in a code (it reads as O)
  });
});

describe("pairing through the API", () => {
  const pair = (route: unknown, url: string, params: Record<string, string>, body: unknown) =>
    callRoute(handler(route), { method: "POST", url, params, sessionToken: adminToken, body: JSON.stringify(body) });

  it("pairs a board's screen with the code it shows, and answers 400 naming the field for a code missing, malformed or unknown", async () => {
    const url = `/api/v1/boards/${slug}/pairings`;
    const before = await getPrisma().display.count();
    for (const [body, path, message] of [
      [{ label: "TV" }, "code", "Give the code the screen shows"],
      [{ code: 12, label: "TV" }, "code", "Give the code the screen shows"],
      [{ code: "12", label: "TV" }, "code", "6 letters and digits"],
      [{ code: "AAA-AAA", label: "TV" }, "code", "No screen shows the code AAA-AAA"],
      [{ code: "AAA-AAA", label: "" }, "label", "Give the screen a label"],
    ] as const) {
      const refused = await pair(pairBoardRoute, url, { slug }, body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(((await refused.json()) as { error: { path: unknown[]; message: string } }).error).toMatchObject({
        path: [path],
        message: expect.stringContaining(message),
      });
    }
    expect(await getPrisma().display.count()).toBe(before);

    const { code, secret } = await start();
    const paired = await pair(pairBoardRoute, url, { slug }, { code, label: "Hall TV", expiresInDays: 30 });
    expect(paired.status).toBe(201);
    expect(await paired.json()).toMatchObject({ label: "Hall TV", state: "active" });
    expect(await (await status(secret)).json()).toEqual({ state: "paired", board: slug });
    expect((await pair(pairBoardRoute, `/api/v1/boards/no-such-${suffix}/pairings`, { slug: `no-such-${suffix}` }, { code, label: "x" })).status).toBe(404);
  });

  it("pairs a playlist's screen the same way", async () => {
    const playlist = `pl-pair-${suffix}`;
    await createPlaylist({ actor: admin, input: { slug: playlist, name: "Paired rotation", teamId: null, boards: [{ board: slug, seconds: 30 }] } });
    const { code, secret } = await start();
    const paired = await pair(pairPlaylistRoute, `/api/v1/playlists/${playlist}/pairings`, { slug: playlist }, { code, label: "Rotation TV" });
    expect(paired.status, await paired.clone().text()).toBe(201);
    expect(await (await status(secret)).json()).toMatchObject({ state: "paired" });
  });
});
