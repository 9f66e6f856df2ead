import { describe, expect, it } from "vitest";
import { parseQuantity, quantityMilli } from "@/lib/kubernetes/quantity";

describe("Kubernetes quantities", () => {
  it("reads CPU and memory the way the API server does", () => {
    expect(parseQuantity("250m")).toBeCloseTo(0.25);
    expect(parseQuantity("2")).toBe(2);
    expect(parseQuantity("0.5")).toBe(0.5);
    expect(parseQuantity("128Mi")).toBe(128 * 2 ** 20);
    expect(parseQuantity("1Gi")).toBe(2 ** 30);
    expect(parseQuantity("1G")).toBe(1e9);
    expect(parseQuantity("1e3")).toBe(1000);
    expect(parseQuantity("1.5Gi")).toBe(1.5 * 2 ** 30);
  });

  it("refuses what the API server refuses", () => {
    for (const bad of ["", "-1", "1.5.0Gi", "1 Gi", "1gi", "Mi", "1Mb", " 1", "1mi", "abc"]) expect(parseQuantity(bad), bad).toBeNull();
  });

  it("reads quantities exactly as milli-units", () => {
    expect(quantityMilli("250m")).toBe(250n);
    expect(quantityMilli("0.5")).toBe(500n);
    expect(quantityMilli(".5")).toBe(500n);
    expect(quantityMilli("2")).toBe(2000n);
    expect(quantityMilli("128Mi")).toBe(128n * 2n ** 20n * 1000n);
    expect(quantityMilli("1.5Gi")).toBe(3n * 2n ** 29n * 1000n);
    expect(quantityMilli("1G")).toBe(10n ** 12n);
    expect(quantityMilli("1e3")).toBe(1_000_000n);
    expect(quantityMilli("1E-3")).toBe(1n);
    expect(quantityMilli("8Ei")).toBe(8n * 2n ** 60n * 1000n);
    expect(quantityMilli(0.1)).toBe(100n);
    expect(quantityMilli(3)).toBe(3000n);
  });

  it("rounds a fraction of a milli-unit up, as resource.Quantity's MilliValue does", () => {
    expect(quantityMilli("1n")).toBe(1n);
    expect(quantityMilli("1500u")).toBe(2n);
    expect(quantityMilli("0.0001")).toBe(1n);
    expect(quantityMilli("0")).toBe(0n);
  });

  it("compares without float drift: 3 × 0.1 is exactly 300m, and 0.1 + 0.2 is not above 0.3", () => {
    // As floats, 0.1 + 0.2 > 0.3 and 3 * 0.1 !== 0.3: the reason rules must not compare parseQuantity results.
    expect(0.1 + 0.2 > 0.3).toBe(true);
    expect(3n * quantityMilli("0.1")!).toBe(quantityMilli("300m"));
    expect(quantityMilli("0.1")! + quantityMilli("0.2")! > quantityMilli("0.3")!).toBe(false);
    expect(quantityMilli("1024Mi")).toBe(quantityMilli("1Gi"));
    expect(quantityMilli("1Gi")! > quantityMilli("1G")!).toBe(true);
  });

  it("refuses what the API server refuses, exactly as the float reading does", () => {
    for (const bad of ["", "-1", "1.5.0Gi", "1 Gi", "1gi", "Mi", "1Mb", " 1", "1mi", "abc"]) expect(quantityMilli(bad), bad).toBeNull();
    expect(quantityMilli(-1)).toBeNull();
    expect(quantityMilli(Number.NaN)).toBeNull();
  });

  it("refuses quantities too large to compare instead of reading them as Infinity, and never works on a huge exponent", () => {
    for (const huge of ["1e400", "1E309", "1e19", "1e999999999", "9".repeat(400), `${"9".repeat(400)}Ei`]) {
      expect(parseQuantity(huge), huge.slice(0, 12)).toBeNull();
      expect(quantityMilli(huge), huge.slice(0, 12)).toBeNull();
    }
    expect(quantityMilli("1e15")).toBe(10n ** 18n);
    expect(parseQuantity("1e15")).toBe(1e15);
    expect(quantityMilli("1e18")).toBe(10n ** 21n);
  });
});
