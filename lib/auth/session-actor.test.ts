// Integration: the actor behind a session cookie, remembered for a few seconds per process.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { createSession, endSession, hashToken } from "@/lib/auth/session";
import { actorForSession } from "@/lib/auth/session-actor";

const config = { ...getConfig(), session: { idleMinutes: 30, absoluteHours: 8 } };
const seconds = (n: number) => n * 1_000;

async function signedIn(start: Date) {
  const user = await getPrisma().user.create({
    data: { entraObjectId: randomUUID(), tenantId: "t", name: "Cass Cached", email: "cass@example.com", groupIds: [], appRoles: [], lastSignInAt: start },
  });
  const { token } = await createSession(user.id, config.session, start);
  return { user, token };
}

describe("the actor of a session", () => {
  it("reads the database once per few seconds, then again", async () => {
    const start = new Date();
    const { user, token } = await signedIn(start);
    expect((await actorForSession(token, config, start))?.name).toBe("Cass Cached");
    await getPrisma().user.update({ where: { id: user.id }, data: { name: "Cass Renamed" } });
    expect((await actorForSession(token, config, new Date(start.getTime() + seconds(4))))?.name).toBe("Cass Cached");
    expect((await actorForSession(token, config, new Date(start.getTime() + seconds(6))))?.name).toBe("Cass Renamed");
  });

  it("is gone at once after sign-out in this process", async () => {
    const start = new Date();
    const { token } = await signedIn(start);
    expect(await actorForSession(token, config, start)).not.toBeNull();
    await endSession(token, start);
    expect(await actorForSession(token, config, start)).toBeNull();
  });

  it("is gone within seconds when the session ended elsewhere (another replica)", async () => {
    const start = new Date();
    const { token } = await signedIn(start);
    expect(await actorForSession(token, config, start)).not.toBeNull();
    await getPrisma().session.update({ where: { tokenHash: hashToken(token) }, data: { endedAt: start } });
    expect(await actorForSession(token, config, new Date(start.getTime() + seconds(6)))).toBeNull();
  });

  it("never outlives the session's absolute lifetime", async () => {
    const start = new Date();
    const { token } = await signedIn(start);
    const end = start.getTime() + 8 * 3_600_000;
    // Used every 25 minutes so the idle timeout never ends it; the last use is 2 s before the absolute end.
    for (let at = start.getTime(); at < end - seconds(2); at += 25 * 60_000) expect(await actorForSession(token, config, new Date(at))).not.toBeNull();
    expect(await actorForSession(token, config, new Date(end - seconds(2)))).not.toBeNull();
    expect(await actorForSession(token, config, new Date(end + seconds(1)))).toBeNull();
  });

  it("refuses unknown and over-long tokens without remembering anything", async () => {
    expect(await actorForSession(undefined, config)).toBeNull();
    expect(await actorForSession("x".repeat(500), config)).toBeNull();
    expect(await actorForSession("not-a-session", config)).toBeNull();
  });
});
