// Integration: rate limits counted in the test PostgreSQL, through the real route handlers.
import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { isAppError } from "@/lib/errors";
import { createSession } from "@/lib/auth/session";
import { callRoute } from "@/lib/api/route-harness";
import { checkRateLimit, clientAddress, consumeRateLimit } from "@/lib/net/rate-limit";
import { GET as getMe } from "@/app/api/v1/me/route";
import { POST as createTeam } from "@/app/api/v1/teams/route";
import { GET as startSignIn } from "@/app/auth/sign-in/route";

const limits = { ...getConfig().rateLimits };
const hops = getConfig().trustedProxyHops;
const setLimits = (changes: Partial<typeof limits>) => Object.assign(getConfig().rateLimits, changes);
afterEach(() => {
  Object.assign(getConfig().rateLimits, limits);
  getConfig().trustedProxyHops = hops;
});

const uniqueAddress = () => `203.0.113.${randomBytes(1)[0]! % 250}-${randomBytes(4).toString("hex")}`;
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => (isAppError(error) ? error : Promise.reject(error)),
  );
/** What a second replica would see: nothing cached in this process. */
const forgetProcessState = () => {
  delete (globalThis as { wharfRateLimiters?: unknown }).wharfRateLimiters;
};

let viewerToken: string;
let viewerId: string;

beforeAll(async () => {
  const suffix = randomBytes(3).toString("hex");
  const viewer = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: `Limited ${suffix}`,
      email: `limited-${suffix}@example.com`,
      groupIds: [],
      appRoles: [],
      lastSignInAt: new Date(),
    },
  });
  viewerId = viewer.id;
  viewerToken = (await createSession(viewer.id, getConfig().session)).token;
});

describe("consumeRateLimit", () => {
  it("refuses past the budget with how long to wait, per key, and counts in PostgreSQL so every replica shares it", async () => {
    setLimits({ mutations: 3 });
    const key = `test:${randomBytes(4).toString("hex")}`;
    for (let i = 0; i < 2; i++) await consumeRateLimit("mutations", key);
    forgetProcessState();
    await consumeRateLimit("mutations", key);
    forgetProcessState();
    const refused = await refusal(consumeRateLimit("mutations", key));
    expect(refused?.code).toBe("rate_limited");
    expect(refused?.status).toBe(429);
    expect(refused?.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused?.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(refused?.message).toMatch(/more changes in the last minute.*Try again in \d+ s\./);
    const row = await getPrisma().rateLimit.findUnique({ where: { key: `mutation:${key}` } });
    expect(row?.points).toBeGreaterThanOrEqual(4);
    // Another key has its own budget; checking does not count.
    const other = `test:${randomBytes(4).toString("hex")}`;
    await consumeRateLimit("mutations", other);
    await checkRateLimit("mutations", other);
    await checkRateLimit("mutations", other);
    await consumeRateLimit("mutations", other);
    expect((await refusal(checkRateLimit("mutations", key)))?.code).toBe("rate_limited");
  });

  it("0 turns a limit off", async () => {
    setLimits({ mutations: 0 });
    const key = `test:${randomBytes(4).toString("hex")}`;
    for (let i = 0; i < 5; i++) await consumeRateLimit("mutations", key);
    expect(await getPrisma().rateLimit.findUnique({ where: { key: `mutation:${key}` } })).toBeNull();
  });
});

describe("clientAddress", () => {
  it("reads the address the nearest trusted proxy appended", () => {
    const headers = new Headers({ "x-forwarded-for": "10.0.0.9, 198.51.100.7, 10.1.0.4" });
    getConfig().trustedProxyHops = 0;
    expect(clientAddress(headers)).toBe("10.1.0.4");
    getConfig().trustedProxyHops = 1;
    expect(clientAddress(headers)).toBe("10.1.0.4");
    getConfig().trustedProxyHops = 2;
    expect(clientAddress(headers)).toBe("198.51.100.7");
    getConfig().trustedProxyHops = 5;
    expect(clientAddress(headers)).toBe("10.0.0.9");
    expect(clientAddress(new Headers())).toBe("unknown");
  });
});

/** Audit rows of `actorId`'s refusals, and the refusals they stand for (a row folds identical ones into a count). */
async function refusalsOf(actorId: string): Promise<{ rows: number; refusals: number }> {
  const rows = await getPrisma().auditEvent.findMany({ where: { actorId, outcome: "denied" }, select: { id: true } });
  const repeats = await getPrisma().auditRefusalRepeat.findMany({ where: { auditEventId: { in: rows.map((row) => row.id) } } });
  const counts = new Map(repeats.map((repeat) => [repeat.auditEventId, repeat.count]));
  return { rows: rows.length, refusals: rows.reduce((sum, row) => sum + (counts.get(row.id) ?? 1), 0) };
}

describe("the API's limits", () => {
  it("counts a person's changes before the permission check: refused ones too, and past the budget 429 with Retry-After and nothing audited", async () => {
    setLimits({ mutations: 3 });
    const post = () =>
      callRoute(createTeam, { method: "POST", url: "/api/v1/teams", sessionToken: viewerToken, body: JSON.stringify({ slug: "x", name: "X" }) });
    const before = await refusalsOf(viewerId);
    for (let i = 0; i < 3; i++) expect((await post()).status).toBe(403);
    const limited = await post();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const body = (await limited.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("rate_limited");
    expect(body.error.message).toContain("Try again in");
    // The three refusals are identical: at most one new audit row, counted three times (lib/audit/record-audit-event.ts); the 429 adds nothing.
    const after = await refusalsOf(viewerId);
    expect(after.refusals - before.refusals).toBe(3);
    expect(after.rows - before.rows).toBeLessThanOrEqual(1);
    // Reading is not a change: still answered.
    expect((await callRoute(getMe, { method: "GET", url: "/api/v1/me", sessionToken: viewerToken })).status).toBe(200);
  });

  it("answers 429 to an address that keeps sending invalid sessions; another address still gets its 401", async () => {
    setLimits({ authFailures: 2 });
    const address = uniqueAddress();
    const bad = (from: string) => callRoute(getMe, { method: "GET", url: "/api/v1/me", sessionToken: "not-a-session", headers: { "x-forwarded-for": from } });
    expect((await bad(address)).status).toBe(401);
    expect((await bad(address)).status).toBe(401);
    const limited = await bad(address);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect((await bad(uniqueAddress())).status).toBe(401);
  });

  it("limits sign-in starts per address with a page that says to wait", async () => {
    setLimits({ signInStarts: 2 });
    const address = uniqueAddress();
    const start = () => callRoute(startSignIn, { method: "GET", url: "/auth/sign-in", headers: { "x-forwarded-for": address } });
    for (let i = 0; i < 2; i++) expect((await start()).status).toBe(307);
    const limited = await start();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(limited.headers.get("content-type")).toContain("text/html");
    expect(await limited.text()).toContain("Too many sign-ins were started from your network address");
  });
});
