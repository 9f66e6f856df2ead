import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitCents } from "./split-cents";

describe("splitCents", () => {
  it("gives the leftover cents to the largest remainders", () => {
    // 100 by thirds: 33.33 each, one cent left, to the first of the tied remainders.
    expect(splitCents(100, [1, 1, 1])).toEqual([34, 33, 33]);
    // 1000 by 0.125/0.25/0.625: 125, 250, 625 exactly.
    expect(splitCents(1000, [0.125, 0.25, 0.625])).toEqual([125, 250, 625]);
    // 7 by 1:2:4 -> 1, 2, 4; 10 by 1:2:4 -> 1.43, 2.86, 5.71 -> 1, 3, 6.
    expect(splitCents(10, [1, 2, 4])).toEqual([1, 3, 6]);
  });

  it("splits a credit the same way, negated", () => {
    expect(splitCents(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
  });

  it("gives nothing to a part of weight 0, and refuses to split money by nothing", () => {
    expect(splitCents(5, [0, 1, 0])).toEqual([0, 5, 0]);
    expect(splitCents(0, [0, 0])).toEqual([0, 0]);
    expect(() => splitCents(5, [0, 0])).toThrow(/every weight is 0/);
    expect(() => splitCents(1.5, [1])).toThrow(/whole minor units/);
    expect(() => splitCents(5, [1, -1])).toThrow(/weights >= 0/);
  });

  it("always adds up to the total, and no part strays a cent from its exact share", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000_00, max: 10_000_000_00 }),
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 }).filter((w) => w.some((x) => x > 0)),
        (total, weights) => {
          const parts = splitCents(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          const sum = weights.reduce((a, b) => a + b, 0);
          parts.forEach((part, i) => {
            expect(Number.isInteger(part)).toBe(true);
            expect(Math.abs(part - (total * weights[i]!) / sum)).toBeLessThan(1 + 1e-6);
            if (weights[i] === 0) expect(part).toBe(0);
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
