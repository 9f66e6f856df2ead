// Sessions live in the database so that sign-out ends them on the server:
// the cookie holds a random token, the database only its SHA-256.
import { createHash, randomBytes } from "node:crypto";
import { getPrisma } from "@/lib/db/client";
import type { User } from "@/lib/db/generated/client";
import { sessionActors } from "@/lib/auth/actor-cache";
import { publishChange } from "@/lib/changes/publish-change";

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

/**
 * How the audit log names a session: the first 16 hex digits of its token's SHA-256, the same at sign-in and sign-out,
 * so an admin can pair them (issue 17 item 8: the resource is the session, not the user). Never the token.
 */
export function sessionAuditId(token: string): string {
  return hashToken(token).slice(0, 16);
}

export async function createSession(userId: string, policy: SessionPolicy, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + policy.absoluteHours * 3_600_000);
  await getPrisma().session.create({
    data: { tokenHash: hashToken(token), userId, createdAt: now, lastSeenAt: now, expiresAt },
  });
  return { token, expiresAt };
}

export interface FoundSession {
  user: User;
  /** When the session ends unless used again: the idle deadline or the absolute lifetime, whichever is sooner. */
  validUntil: Date;
}

/** The session of a cookie token and its user, or null when the session is unknown, ended, idle too long or too old. */
export async function findSession(token: string | undefined, policy: SessionPolicy, now = new Date()): Promise<FoundSession | null> {
  if (!token || token.length > 200) return null;
  const session = await getPrisma().session.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: true } });
  if (!session || session.endedAt) return null;
  if (session.expiresAt <= now) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > policy.idleMinutes * 60_000) return null;
  let lastSeenAt = session.lastSeenAt;
  if (now.getTime() - lastSeenAt.getTime() > touchIntervalMs) {
    await getPrisma().session.update({ where: { tokenHash: session.tokenHash }, data: { lastSeenAt: now } });
    lastSeenAt = now;
  }
  const idleDeadline = lastSeenAt.getTime() + policy.idleMinutes * 60_000;
  return { user: session.user, validUntil: new Date(Math.min(idleDeadline, session.expiresAt.getTime())) };
}

/**
 * Ends the session (sign-out); this process forgets it at once, and every other web process (several under `npm start`,
 * or replicas) when the notice reaches it, before the browser can send another request (lib/auth/actor-cache.ts).
 */
export async function endSession(token: string | undefined, now = new Date()): Promise<User | null> {
  if (!token) return null;
  const tokenHash = hashToken(token);
  sessionActors().forget(tokenHash);
  const session = await getPrisma().session.findUnique({ where: { tokenHash }, include: { user: true } });
  if (!session || session.endedAt) return null;
  await getPrisma().session.update({ where: { tokenHash }, data: { endedAt: now } });
  await publishChange({ kind: "session", id: tokenHash });
  return session.user;
}
