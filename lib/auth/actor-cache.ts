// Who a session cookie belongs to, remembered by each web process for a few
// seconds: every page, API call and live stream starts by asking, and under
// load three sequential database round trips per request (session, user,
// teams) were the largest part of a page's wait (bench/README, deployments).
// Sign-out forgets at once in the process that served it, and in every other
// web process (several under `npm start`, decision 0060, or replicas) when its
// notice arrives through the change feed; should the feed be down, a session
// ended elsewhere stops working here within `ttlMs` (decision 0004).
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { logger } from "@/lib/logger";
import type { UserActor } from "./permissions";

export interface ActorCache {
  /** The actor remembered for this session (by token hash), if still fresh at `now`. */
  get(tokenHash: string, now: number): UserActor | undefined;
  /** Remember until `now + ttlMs`, or `validUntil` (the session's own end) if sooner. */
  remember(tokenHash: string, actor: UserActor, validUntil: number, now: number): void;
  forget(tokenHash: string): void;
  /** Forgets every session (notices may have been missed). */
  clear(): void;
  readonly size: number;
}

export function createActorCache({ ttlMs = 5_000, maxEntries = 10_000 }: { ttlMs?: number; maxEntries?: number } = {}): ActorCache {
  const entries = new Map<string, { actor: UserActor; until: number }>();
  return {
    get(tokenHash, now) {
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (now >= entry.until) {
        entries.delete(tokenHash);
        return undefined;
      }
      return entry.actor;
    },
    remember(tokenHash, actor, validUntil, now) {
      const until = Math.min(now + ttlMs, validUntil);
      if (until <= now) return;
      entries.delete(tokenHash);
      // A Map iterates in insertion order: the first key is the oldest entry.
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      // Every request of the session shares this object for a while: nobody may change it.
      const shared = Object.freeze({ ...actor, teams: Object.freeze(actor.teams.map((team) => Object.freeze({ ...team }))) }) as UserActor;
      entries.set(tokenHash, { actor: shared, until });
    },
    forget(tokenHash) {
      entries.delete(tokenHash);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

const state = globalThis as typeof globalThis & { wharfSessionActors?: ActorCache; wharfSessionEnds?: Promise<unknown> };

/**
 * The process's cache of session actors (one per process, surviving Next's module reloads in development), which
 * forgets every session ended anywhere once the change feed tells it (tried again on the next call if the feed is down).
 */
export function sessionActors(): ActorCache {
  const cache = (state.wharfSessionActors ??= createActorCache());
  state.wharfSessionEnds ??= subscribeToChanges(["session:*"], (change) => (change.id === "*" ? cache.clear() : cache.forget(change.id))).catch(
    (error: unknown) => {
      // Tried again in 30 s, not on every request while the database is away.
      setTimeout(() => (state.wharfSessionEnds = undefined), 30_000).unref();
      logger.warn({ err: error }, "sign-outs in other web processes reach this one within 5 s: the change feed is not listening");
    },
  );
  return cache;
}
