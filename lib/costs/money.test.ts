import { describe, expect, it } from "vitest";
import { costCsv } from "./cost-csv";
import type { CostView } from "./get-costs";
import { formatMoney, minorToDecimal } from "./money";

describe("money", () => {
  it("formats minor units in the bill's currency with its own digits", () => {
    expect(formatMoney(123456, "EUR", 2)).toBe("€1,234.56");
    expect(formatMoney(1234, "JPY", 0)).toBe("¥1,234");
    expect(formatMoney(-5, "USD", 2)).toBe("-$0.05");
  });

  it("writes exact decimals for CSV", () => {
    expect(minorToDecimal(5, 2)).toBe("0.05");
    expect(minorToDecimal(-123456, 2)).toBe("-1234.56");
    expect(minorToDecimal(42, 0)).toBe("42");
    expect(minorToDecimal(7, 3)).toBe("0.007");
  });
});

describe("costCsv", () => {
  it("writes a row per day and line with an amount, quoting cells and defusing formulas", () => {
    const view = {
      groupBy: "team",
      currency: "EUR",
      minorUnitDigits: 2,
      days: ["2026-03-01", "2026-03-02"],
      lines: [
        { key: "payments", label: "=cmd|' /C calc'!A0", apart: null, totalMinor: 1500, dailyMinor: [1000, 500] },
        { key: "idle", label: "Idle capacity", apart: "idle", totalMinor: 7, dailyMinor: [0, 7] },
      ],
    } as unknown as CostView;
    expect(costCsv(view).split("\r\n")).toEqual([
      '"day","team","label","line","amount","currency"',
      `"2026-03-01","payments","'=cmd|' /C calc'!A0","group","10.00","EUR"`,
      '"2026-03-02","payments","\'=cmd|\' /C calc\'!A0","group","5.00","EUR"',
      '"2026-03-02","idle","Idle capacity","idle","0.07","EUR"',
      "",
    ]);
  });
});
