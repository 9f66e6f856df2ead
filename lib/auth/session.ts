// Sessions live in the database so that sign-out ends them on the server:
// the cookie holds a random token, the database only its SHA-256.
import { createHash, randomBytes } from "node:crypto";
import { getPrisma } from "@/lib/db/client";
import type { User } from "@/lib/db/generated/client";

export const sessionCookieName = "wharf_session";

/** Touch lastSeenAt at most this often, so reads do not become writes. */
const touchIntervalMs = 60_000;

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export async function createSession(userId: string, policy: SessionPolicy, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  await getPrisma().session.create({
    data: { tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt },
  });
  return { token, expiresAt };
}

/** The signed-in user for a cookie token, or null when the session is unknown, ended, idle too long or too old. */
export async function findSessionUser(token: string | undefined, policy: SessionPolicy, now = new Date()): Promise<User | null> {
  if (!token || token.length > 200) return null;
  const session = await getPrisma().session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.endedAt) return null;
  if (session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > policy.idleMinutes * 60_000) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > touchIntervalMs) {
    await getPrisma().session.update({ where: { tokenHash: session.tokenHash }, data: { lastSeenAt: now } });
  }
  return session.user;
}

export async function endSession(token: string | undefined, now = new Date()): Promise<User | null> {
  if (!token) return null;
  const session = await getPrisma().session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.endedAt) return null;
  await getPrisma().session.update({ where: { tokenHash: session.tokenHash }, data: { endedAt: now } });
  return session.user;
}
