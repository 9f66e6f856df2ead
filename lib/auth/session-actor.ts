// The actor behind a session cookie: from this process's cache while fresh
// (lib/auth/actor-cache.ts), otherwise read from the database and remembered.
import type { WharfConfig } from "@/lib/config";
import { actorForUser } from "@/lib/auth/actor";
import { sessionActors } from "@/lib/auth/actor-cache";
import { findSession, hashToken } from "@/lib/auth/session";
import type { UserActor } from "@/lib/auth/permissions";

export async function actorForSession(
  token: string | undefined,
  config: Pick<WharfConfig, "session" | "identity">,
  now = new Date(),
): Promise<UserActor | null> {
  if (!token || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const cache = sessionActors();
  const remembered = cache.get(tokenHash, now.getTime());
  if (remembered) return remembered;
  const session = await findSession(token, config.session, now);
  if (!session) return null;
  const actor = await actorForUser(session.user, config.identity);
  cache.remember(tokenHash, actor, session.validUntil.getTime(), now.getTime());
  return actor;
}
