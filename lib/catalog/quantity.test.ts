import { describe, expect, it } from "vitest";
import { parseQuantity } from "@/lib/catalog/quantity";

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

  it("refuses quantities too large to compare instead of reading them as Infinity", () => {
    for (const huge of ["1e400", "1E309", "9".repeat(400), `${"9".repeat(400)}Ei`]) expect(parseQuantity(huge), huge.slice(0, 12)).toBeNull();
    expect(parseQuantity("1e308")).toBe(1e308);
  });
});
