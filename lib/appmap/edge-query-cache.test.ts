// Pure: the edge drill-down's cache (one query per edge per interval, shared by
// every viewer, failures kept too) and the per-user rate limit, on a given clock.
import { describe, expect, it } from "vitest";
import { EdgeQueryCache, UserRateLimiter, type Loaded } from "@/lib/appmap/edge-query-cache";

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe("EdgeQueryCache", () => {
  it("asks once for any number of viewers, while one query runs and while its answer is fresh", async () => {
    const time = clock();
    const cache = new EdgeQueryCache<number>({ minIntervalMs: 60_000, maxEntries: 10, now: time.now });
    let loads = 0;
    const pending = deferred<Loaded<number>>();
    const load = () => {
      loads += 1;
      return pending.promise;
    };
    const viewers = Array.from({ length: 20 }, () => cache.get("a->b", 120_000, load));
    pending.resolve({ ok: true, value: 42 });
    const answers = await Promise.all(viewers);
    expect(loads).toBe(1);
    expect(answers.filter((answer) => answer.fresh)).toHaveLength(1);
    expect(answers.every((answer) => answer.answer.ok && answer.answer.value === 42)).toBe(true);
    time.advance(119_000);
    expect(await cache.get("a->b", 120_000, async () => ({ ok: true, value: 43 }))).toMatchObject({ fresh: false, nextQueryInSeconds: 1 });
    time.advance(1_000);
    expect(await cache.get("a->b", 120_000, async () => ({ ok: true, value: 43 }))).toMatchObject({ fresh: true, answer: { ok: true, value: 43 } });
    expect(loads).toBe(1);
  });

  it("keeps each edge apart", async () => {
    const cache = new EdgeQueryCache<string>({ minIntervalMs: 60_000, maxEntries: 10, now: clock().now });
    expect((await cache.get("a->b", 60_000, async () => ({ ok: true, value: "ab" }))).answer).toEqual({ ok: true, value: "ab" });
    expect((await cache.get("a->c", 60_000, async () => ({ ok: true, value: "ac" }))).answer).toEqual({ ok: true, value: "ac" });
  });

  it("keeps a failure until the edge's interval has passed, or its Retry-After when later, so a retry storm sends nothing", async () => {
    const time = clock();
    const cache = new EdgeQueryCache<number>({ minIntervalMs: 60_000, maxEntries: 10, now: time.now });
    let loads = 0;
    const failing = async (): Promise<Loaded<number>> => {
      loads += 1;
      return { ok: false, message: "HTTP 503: down" };
    };
    expect(await cache.get("e", 120_000, failing)).toMatchObject({ fresh: true, answer: { ok: false, message: "HTTP 503: down" }, nextQueryInSeconds: 60 });
    time.advance(30_000);
    expect(await cache.get("e", 120_000, failing)).toMatchObject({ fresh: false, nextQueryInSeconds: 30 });
    expect(loads).toBe(1);
    time.advance(30_000);
    const throttled = async (): Promise<Loaded<number>> => {
      loads += 1;
      return { ok: false, message: "HTTP 429", retryAfterSeconds: 300 };
    };
    expect(await cache.get("e", 120_000, throttled)).toMatchObject({ fresh: true, nextQueryInSeconds: 300 });
    time.advance(200_000);
    expect(await cache.get("e", 120_000, throttled)).toMatchObject({ fresh: false, nextQueryInSeconds: 100 });
    expect(loads).toBe(2);
  });

  it("turns a thrown error into a failure, and forgets the least recently used edges past its size", async () => {
    const cache = new EdgeQueryCache<number>({ minIntervalMs: 60_000, maxEntries: 2, now: clock().now });
    expect((await cache.get("x", 1, () => Promise.reject(new Error("boom")))).answer).toEqual({ ok: false, message: "boom" });
    await cache.get("y", 1, async () => ({ ok: true, value: 1 }));
    await cache.get("x", 1, async () => ({ ok: true, value: 2 }));
    await cache.get("z", 1, async () => ({ ok: true, value: 3 }));
    expect(cache.size).toBe(2);
    let asked = false;
    await cache.get("y", 1, async () => ((asked = true), { ok: true, value: 4 }));
    expect(asked).toBe(true);
  });
});

describe("UserRateLimiter", () => {
  it("allows a user `limit` requests in any window, says when the next is allowed, and keeps users apart", () => {
    const time = clock();
    const limiter = new UserRateLimiter({ limit: 3, windowMs: 60_000, now: time.now });
    expect(limiter.take("ann")).toEqual({ allowed: true });
    time.advance(10_000);
    expect(limiter.take("ann")).toEqual({ allowed: true });
    expect(limiter.take("ann")).toEqual({ allowed: true });
    expect(limiter.take("ann")).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(limiter.take("bob")).toEqual({ allowed: true });
    time.advance(50_000);
    expect(limiter.take("ann")).toEqual({ allowed: true });
    expect(limiter.take("ann")).toEqual({ allowed: false, retryAfterSeconds: 10 });
  });
});
