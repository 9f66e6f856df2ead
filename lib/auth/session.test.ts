// Integration: database sessions, idle timeout and absolute lifetime.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { createSession, endSession, findSession, hashToken } from "@/lib/auth/session";
import { sessionActors } from "@/lib/auth/actor-cache";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { publishChange, type Change } from "@/lib/changes/publish-change";

const policy = { idleMinutes: 30, absoluteHours: 8 };
const minutes = (n: number) => n * 60_000;

async function newUser() {
  return getPrisma().user.create({
    data: { entraObjectId: randomUUID(), tenantId: "t", name: "Sam Session", email: "sam@example.com", groupIds: [], appRoles: [], lastSignInAt: new Date() },
  });
}

describe("sessions", () => {
  it("finds the user for a fresh token and never stores the token itself", async () => {
    const user = await newUser();
    const { token } = await createSession(user.id, policy);
    expect((await findSession(token, policy))?.user.id).toBe(user.id);
    expect(await getPrisma().session.count({ where: { tokenHash: token } })).toBe(0);
  });

  it("refuses unknown, tampered and over-long tokens", async () => {
    const user = await newUser();
    const { token } = await createSession(user.id, policy);
    expect(await findSession(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`, policy)).toBeNull();
    expect(await findSession("x".repeat(500), policy)).toBeNull();
    expect(await findSession(undefined, policy)).toBeNull();
  });

  it("expires after the idle timeout, and activity keeps it alive", async () => {
    const user = await newUser();
    const start = new Date();
    const { token } = await createSession(user.id, policy, start);
    const active = new Date(start.getTime() + minutes(20));
    expect(await findSession(token, policy, active)).not.toBeNull();
    expect(await findSession(token, policy, new Date(active.getTime() + minutes(20)))).not.toBeNull();
    expect(await findSession(token, policy, new Date(active.getTime() + minutes(20) + minutes(31)))).toBeNull();
  });

  it("expires at the absolute lifetime however active", async () => {
    const user = await newUser();
    const start = new Date();
    const { token } = await createSession(user.id, policy, start);
    for (let minute = 25; minute < 8 * 60; minute += 25) {
      expect(await findSession(token, policy, new Date(start.getTime() + minutes(minute)))).not.toBeNull();
    }
    expect(await findSession(token, policy, new Date(start.getTime() + minutes(8 * 60 + 1)))).toBeNull();
  });

  it("ends on sign-out", async () => {
    const user = await newUser();
    const { token } = await createSession(user.id, policy);
    expect((await endSession(token))?.id).toBe(user.id);
    expect(await findSession(token, policy)).toBeNull();
    expect(await endSession(token)).toBeNull();
  });

  it("sign-out tells every web process, and each one's actor cache forgets the session", async () => {
    const user = await newUser();
    const { token } = await createSession(user.id, policy);
    const heard: Change[] = [];
    const stop = await subscribeToChanges(["session:*"], (change) => heard.push(change));
    try {
      await endSession(token);
      await expect.poll(() => heard).toContainEqual({ kind: "session", id: hashToken(token) });
    } finally {
      stop();
    }

    // Another process's sign-out reaches this one as the same notice: the actor it remembered is forgotten.
    const other = await createSession(user.id, policy);
    const actor = { kind: "user", userId: user.id, name: user.name, isAdmin: false, teams: [] } as unknown as Parameters<
      ReturnType<typeof sessionActors>["remember"]
    >[1];
    const cache = sessionActors();
    // Once a subscription made after the cache's has resolved, the cache's own is in place (both wait for one connection).
    (await subscribeToChanges(["session:*"], () => undefined))();
    cache.remember(hashToken(other.token), actor, Date.now() + 60_000, Date.now());
    expect(cache.get(hashToken(other.token), Date.now())).toBeDefined();
    await publishChange({ kind: "session", id: hashToken(other.token) });
    await expect.poll(() => cache.get(hashToken(other.token), Date.now())).toBeUndefined();
  });
});
