import { describe, expect, it } from "vitest";
import { displayStreamLifetimeMs, formatAge, isStale, reconnectDelayMs, tileAgeSeconds } from "./data-age";

describe("a tile's data age", () => {
  const generatedAt = "2026-12-05T10:00:00.000Z";
  it("adds the server's age at the snapshot to the time since the screen got it, whatever the screen's clock says", () => {
    const received = 5_000_000; // the screen's clock, far from the server's
    expect(tileAgeSeconds("2026-12-05T09:59:30.000Z", generatedAt, received, received)).toBe(30);
    expect(tileAgeSeconds("2026-12-05T09:59:30.000Z", generatedAt, received, received + 95_000)).toBe(125);
    expect(tileAgeSeconds(null, generatedAt, received, received)).toBeNull();
  });

  it("is stale past its limit, or with no data at all", () => {
    expect(isStale(120, 120)).toBe(false);
    expect(isStale(121, 120)).toBe(true);
    expect(isStale(null, 120)).toBe(true);
  });

  it("reads in the largest whole unit", () => {
    expect([formatAge(5), formatAge(61), formatAge(7200), formatAge(200_000)]).toEqual(["5 s", "1 min", "2 h", "2 d"]);
  });

  it("reconnects after a jittered wait that grows with each failure up to a minute", () => {
    expect(reconnectDelayMs(1, () => 0)).toBe(2_000);
    expect(reconnectDelayMs(1, () => 1)).toBe(4_000);
    expect(reconnectDelayMs(3, () => 0.5)).toBe(12_000);
    expect(reconnectDelayMs(20, () => 1)).toBe(60_000);
  });

  it("spreads screens that lost their streams together over two seconds at least on their first try", () => {
    const waits = Array.from({ length: 500 }, (_, i) => reconnectDelayMs(1, () => i / 499));
    expect(Math.max(...waits) - Math.min(...waits)).toBe(2_000);
    const inFirstSecond = waits.filter((wait) => wait < Math.min(...waits) + 1_000).length;
    expect(inFirstSecond).toBeLessThanOrEqual(250);
  });
});

describe("a screen's stream lifetime", () => {
  it("ends each stream between 8 and 10 minutes, so streams opened together do not end together", () => {
    expect(displayStreamLifetimeMs(() => 0)).toBe(8 * 60_000);
    expect(displayStreamLifetimeMs(() => 0.999_999)).toBeLessThan(10 * 60_000);
    expect(displayStreamLifetimeMs(() => 0.5)).toBe(9 * 60_000);
    const lifetimes = new Set(Array.from({ length: 100 }, () => displayStreamLifetimeMs()));
    expect(lifetimes.size).toBeGreaterThan(90);
  });
});
