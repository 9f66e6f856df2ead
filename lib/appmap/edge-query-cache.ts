// The application map's edge drill-down asks Log Analytics on demand, so it
// is held to two limits in the web process (decision 0034): one query per edge
// per interval whatever the number of viewers (a result, or a failure, is
// kept and shared; viewers that arrive while a query runs wait for it), and a
// per-user rate so one person clicking through edges cannot spend the
// workspace's quota (Log Analytics allows 200 queries per 30 s per identity,
// and every viewer shares Wharf's). No I/O: the clock is given.

export type Loaded<T> = { ok: true; value: T } | { ok: false; message: string; retryAfterSeconds?: number };

export interface CachedAnswer<T> {
  answer: Loaded<T>;
  /** When the query that gave it was sent (ms since the epoch). */
  fetchedAt: number;
  /** Whether this caller's request sent it (false: another viewer's, from the cache or in flight). */
  fresh: boolean;
  /** Seconds until the edge may be queried again. */
  nextQueryInSeconds: number;
}

interface Entry<T> {
  answer?: Loaded<T>;
  fetchedAt: number;
  /** Until when a success is served without asking again. */
  freshUntil: number;
  /** Not asked again before this time, whatever happened. */
  notBefore: number;
  inFlight?: Promise<Loaded<T>>;
}

export interface EdgeQueryCacheOptions {
  /** The least time between two queries of one edge. */
  minIntervalMs: number;
  /** Entries kept at most; the least recently used go first. */
  maxEntries: number;
  now?: () => number;
}

export class EdgeQueryCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly now: () => number;

  constructor(private readonly options: EdgeQueryCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The edge's answer: kept while fresh (`ttlMs` for a success), otherwise
   * `load`ed once for every caller waiting. A failure is kept until the
   * edge's interval has passed, with its own Retry-After when it said a later one.
   */
  async get(key: string, ttlMs: number, load: () => Promise<Loaded<T>>): Promise<CachedAnswer<T>> {
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, entry);
      if (entry.inFlight) {
        const answer = await entry.inFlight;
        return this.answered(entry, answer, false);
      }
      if (entry.answer && now < (entry.answer.ok ? entry.freshUntil : entry.notBefore)) return this.answered(entry, entry.answer, false);
    }
    const fresh: Entry<T> = { fetchedAt: now, freshUntil: now, notBefore: now + this.options.minIntervalMs };
    const inFlight = load().catch((error: unknown): Loaded<T> => ({ ok: false, message: error instanceof Error ? error.message : String(error) }));
    fresh.inFlight = inFlight;
    this.entries.set(key, fresh);
    this.evict();
    const answer = await inFlight;
    const done = this.now();
    fresh.inFlight = undefined;
    fresh.answer = answer;
    fresh.freshUntil = answer.ok ? done + Math.max(ttlMs, this.options.minIntervalMs) : done;
    if (!answer.ok && answer.retryAfterSeconds !== undefined) fresh.notBefore = Math.max(fresh.notBefore, done + answer.retryAfterSeconds * 1000);
    return this.answered(fresh, answer, true);
  }

  private answered(entry: Entry<T>, answer: Loaded<T>, fresh: boolean): CachedAnswer<T> {
    const until = answer.ok ? Math.max(entry.freshUntil, entry.notBefore) : entry.notBefore;
    return { answer, fetchedAt: entry.fetchedAt, fresh, nextQueryInSeconds: Math.max(0, Math.ceil((until - this.now()) / 1000)) };
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= this.options.maxEntries) return;
      if (!entry.inFlight) this.entries.delete(key);
    }
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

export interface RateLimitOptions {
  /** Requests allowed per user within `windowMs`. */
  limit: number;
  windowMs: number;
  /** Users remembered at most (the quietest forgotten first). */
  maxUsers?: number;
  now?: () => number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** A sliding window per user: at most `limit` requests in any `windowMs`. */
export class UserRateLimiter {
  private readonly requests = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.now = options.now ?? Date.now;
  }

  take(user: string): RateDecision {
    const now = this.now();
    const since = now - this.options.windowMs;
    const times = (this.requests.get(user) ?? []).filter((at) => at > since);
    this.requests.delete(user);
    if (times.length >= this.options.limit) {
      this.requests.set(user, times);
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((times[0]! + this.options.windowMs - now) / 1000)) };
    }
    times.push(now);
    this.requests.set(user, times);
    const maxUsers = this.options.maxUsers ?? 10_000;
    for (const key of this.requests.keys()) {
      if (this.requests.size <= maxUsers) break;
      this.requests.delete(key);
    }
    return { allowed: true };
  }

  clear(): void {
    this.requests.clear();
  }
}
