// Integration: a wall screen's token exchange, its board-scoped cookie and
// its snapshot and stream, through the real route handlers and proxy.ts
// against the test PostgreSQL (decision 0026).
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { createSession } from "@/lib/auth/session";
import { displayCookieName } from "@/lib/auth/display-token";
import { proxy } from "@/proxy";
import { GET as connect, POST as connectByForm } from "@/app/display/[board]/connect/route";
import { GET as snapshotRoute } from "@/app/display/[board]/snapshot/route";
import { GET as streamRoute } from "@/app/display/[board]/stream/route";
import { GET as manifestRoute } from "@/app/display/[board]/manifest.webmanifest/route";
import { GET as servicesRoute } from "@/app/api/v1/services/route";
import { GET as meRoute } from "@/app/api/v1/me/route";
import { createBoard } from "./create-board";
import { createDisplay } from "./create-display";
import { revokeDisplay } from "./revoke-display";
import type { DisplaySnapshot } from "./board-snapshot";

const suffix = randomBytes(3).toString("hex");
let admin: UserActor;
let sessionToken: string;
const slug = `wall-${suffix}`;
const otherSlug = `wall2-${suffix}`;

const handler = (route: unknown) => route as RouteHandler;

beforeAll(async () => {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: "Ada Admin",
      email: `ada-${suffix}@example.com`,
      groupIds: [],
      appRoles: [getConfig().identity.adminAppRole],
      lastSignInAt: new Date(),
    },
  });
  admin = { kind: "user", userId: row.id, name: "Ada Admin", email: row.email, isAdmin: true, teams: [] };
  sessionToken = (await createSession(row.id, getConfig().session)).token;
  await createBoard({
    actor: admin,
    input: {
      slug,
      name: "Wall",
      teamId: null,
      tiles: [
        { kind: "clock", id: "clock", x: 0, y: 0, w: 4, h: 2 },
        { kind: "fleet-health", id: "fleet", x: 4, y: 0, w: 8, h: 4 },
      ],
    },
  });
  await createBoard({ actor: admin, input: { slug: otherSlug, name: "Other wall", teamId: null } });
});

const cookieOf = (response: Response) => response.headers.get("set-cookie");

describe("exchanging a display token", () => {
  it("sets an httpOnly, SameSite=Strict cookie for the board's path only and redirects without the token", async () => {
    const { token } = await createDisplay({ actor: admin, slug, input: { label: "Hall", expiresInDays: 7 } });
    const response = await callRoute(handler(connect), { method: "GET", url: `/display/${slug}/connect?token=${token}`, params: { board: slug } });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(new URL(`/display/${slug}`, getConfig().publicUrl).toString());
    const cookie = cookieOf(response)!;
    expect(cookie).toContain(`${displayCookieName}=${token}`);
    expect(cookie).toContain(`Path=/display/${slug}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=strict/i);
    expect(cookie).toMatch(/Expires=/i);
    expect(await getPrisma().auditEvent.count({ where: { action: "display.connect", outcome: "success", after: { path: ["board"], equals: slug } } })).toBe(1);

    const posted = await callRoute(handler(connectByForm), {
      method: "POST",
      url: `/display/${slug}/connect`,
      params: { board: slug },
      body: `token=${token}`,
      contentType: "application/x-www-form-urlencoded",
    });
    expect(posted.status).toBe(303);
  });

  it("answers a wrong, expired, revoked or another board's token with a page that says which, and sets nothing", async () => {
    const { token, display } = await createDisplay({ actor: admin, slug, input: { label: "Soon revoked" } });
    const { token: expiring, display: expiringDisplay } = await createDisplay({ actor: admin, slug, input: { label: "Expired" } });
    await getPrisma().display.update({ where: { id: expiringDisplay.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const exchange = (value: string, board = slug) =>
      callRoute(handler(connect), { method: "GET", url: `/display/${board}/connect?token=${encodeURIComponent(value)}`, params: { board } });

    const other = await exchange(token, otherSlug);
    expect(other.status).toBe(403);
    expect(await other.text()).toContain("This token is for another board");
    await revokeDisplay({ actor: admin, slug, displayId: display.id });
    const cases = [
      [`${token.slice(0, -3)}abc`, "This display token is not valid", "unknown"],
      [expiring, "This display token has expired", "expired"],
      [token, "This screen was revoked", "revoked"],
      ["", "No display token", "missing"],
    ] as const;
    for (const [value, title, refusal] of cases) {
      const response = await exchange(value);
      expect(response.status, refusal).toBe(401);
      const page = await response.text();
      expect(page).toContain(title);
      expect(page).toContain(`data-refusal="${refusal}"`);
      expect(cookieOf(response), refusal).toBeNull();
    }
    expect(cookieOf(other)).toBeNull();
  });

  it("is where proxy.ts sends /display/<board>?token=…, as a page with its nonce", async () => {
    const response = proxy(new NextRequest(new URL(`/display/${slug}?token=wdt_abc`, getConfig().publicUrl)));
    const rewrite = new URL(response.headers.get("x-middleware-rewrite")!);
    expect(rewrite.pathname).toBe(`/display/${slug}/connect`);
    expect(rewrite.searchParams.get("token")).toBe("wdt_abc");
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(proxy(new NextRequest(new URL(`/display/${slug}`, getConfig().publicUrl))).headers.get("x-middleware-rewrite")).toBeNull();
    expect(proxy(new NextRequest(new URL(`/display/${slug}/snapshot`, getConfig().publicUrl))).headers.get("content-security-policy")).toContain(
      "default-src 'none'",
    );
  });
});

describe("the screen's web app manifest", () => {
  it("opens the board full screen, with the icons in public/", async () => {
    const response = await manifestRoute(new Request(new URL(`/display/${slug}/manifest.webmanifest`, getConfig().publicUrl)), {
      params: Promise.resolve({ board: slug }),
    });
    expect(response.headers.get("content-type")).toBe("application/manifest+json");
    const manifest = (await response.json()) as { start_url: string; scope: string; display: string; icons: { src: string; sizes: string }[] };
    expect(manifest).toMatchObject({ start_url: `/display/${slug}`, scope: `/display/${slug}`, display: "fullscreen" });
    for (const icon of manifest.icons) expect(existsSync(join(process.cwd(), "public", icon.src)), icon.src).toBe(true);
    expect((await manifestRoute(new Request("http://x/display/Bad!/manifest.webmanifest"), { params: Promise.resolve({ board: "Bad!" }) })).status).toBe(404);
  });
});

describe("the display cookie", () => {
  it("reads its own board's snapshot and nothing else: not another board, not the API, not a page's session", async () => {
    const { token } = await createDisplay({ actor: admin, slug, input: { label: "Scoped" } });
    const cookies = { [displayCookieName]: token };

    const own = await callRoute(handler(snapshotRoute), { method: "GET", url: `/display/${slug}/snapshot`, params: { board: slug }, cookies });
    expect(own.status).toBe(200);
    const { boards, ...screen } = (await own.json()) as DisplaySnapshot;
    expect(screen).toMatchObject({ playlist: null, rotation: [{ boardId: boards[0]!.board.id, seconds: 0 }], version: expect.any(String) });
    const snapshot = boards[0]!;
    expect(boards).toHaveLength(1);
    expect(snapshot.board).toMatchObject({ slug, name: "Wall" });
    expect(Object.keys(snapshot.tiles).sort()).toEqual(["clock", "fleet"]);
    expect(snapshot.tiles.fleet).toMatchObject({ kind: "fleet-health", staleAfterSeconds: 2 * getConfig().health.pollSeconds });

    const other = await callRoute(handler(snapshotRoute), { method: "GET", url: `/display/${otherSlug}/snapshot`, params: { board: otherSlug }, cookies });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ error: { reason: "other-board" } });

    for (const route of [servicesRoute, meRoute]) {
      const api = await callRoute(handler(route), { method: "GET", url: "/api/v1/services", cookies });
      expect(api.status).toBe(401);
      expect(await api.json()).toMatchObject({ error: { code: "unauthenticated" } });
    }

    // A signed-in admin's session is not a screen: the board's data needs the display cookie.
    const person = await callRoute(handler(snapshotRoute), { method: "GET", url: `/display/${slug}/snapshot`, params: { board: slug }, sessionToken });
    expect(person.status).toBe(401);
    expect(await person.json()).toMatchObject({ error: { reason: "missing" } });
  });

  it("ends the screen's stream with a `refused` event when it is revoked", async () => {
    const { token, display } = await createDisplay({ actor: admin, slug, input: { label: "Live" } });
    const response = await callRoute(handler(streamRoute), {
      method: "GET",
      url: `/display/${slug}/stream`,
      params: { board: slug },
      cookies: { [displayCookieName]: token },
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return text.includes(needle);
    };
    expect(await readUntil("event: ready")).toBe(true);
    await revokeDisplay({ actor: admin, slug, displayId: display.id });
    expect(await readUntil("event: refused")).toBe(true);
    expect(text).toContain('"reason":"revoked"');
    expect((await reader.read()).done).toBe(true);

    const after = await callRoute(handler(streamRoute), {
      method: "GET",
      url: `/display/${slug}/stream`,
      params: { board: slug },
      cookies: { [displayCookieName]: token },
    });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({
      error: { reason: "revoked", message: "This screen was revoked. Ask the board's owners for a new display token." },
    });
  });
});
