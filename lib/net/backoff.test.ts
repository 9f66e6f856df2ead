import { describe, expect, it } from "vitest";
import { backoffWithJitter, type BackoffRange } from "@/lib/net/backoff";

const range: BackoffRange = { initial: 4, max: 60 };
const low = () => 0;
const high = () => 0.999999;

describe("backoffWithJitter", () => {
  it("doubles its ceiling with each failure and stays between half the ceiling and the ceiling", () => {
    expect([1, 2, 3, 4].map((n) => backoffWithJitter(n, range, low))).toEqual([2, 4, 8, 16]);
    expect([1, 2, 3, 4].map((n) => Math.round(backoffWithJitter(n, range, high)))).toEqual([4, 8, 16, 32]);
  });

  it("stops growing at the maximum, even after very many failures", () => {
    expect(backoffWithJitter(5, range, high)).toBeLessThanOrEqual(60);
    expect(backoffWithJitter(5, range, low)).toBe(30);
    expect(backoffWithJitter(5000, range, low)).toBe(30);
  });

  it("spreads clients that failed together", () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffWithJitter(3, range)));
    expect(delays.size).toBeGreaterThan(40);
    for (const delay of delays) {
      expect(delay).toBeGreaterThanOrEqual(8);
      expect(delay).toBeLessThanOrEqual(16);
    }
  });
});
