import { describe, expect, it } from "vitest";
import { plotKqlResult } from "./kql-chart";

const columns = [
  { name: "TimeGenerated", type: "datetime" },
  { name: "role", type: "string" },
  { name: "requests", type: "long" },
];
const rows = [
  ["2026-12-06T10:10:00Z", "b", 7],
  ["2026-12-06T10:00:00Z", "a", 3],
  ["2026-12-06T10:05:00Z", "a", -2],
];

describe("plotKqlResult", () => {
  it("plots the first numeric column against the first datetime column, in time order", () => {
    const plot = plotKqlResult({ chart: "line", columns, rows });
    expect(plot).toMatchObject({ kind: "chart", x: "TimeGenerated", y: "requests", xIsTime: true, min: -2, max: 7 });
    expect(plot.kind === "chart" && plot.points.map((point) => point.value)).toEqual([3, -2, 7]);
  });

  it("draws bars by a text column when there is no datetime, and falls back to a table saying why", () => {
    const byRole = plotKqlResult({ chart: "bar", columns: columns.slice(1), rows: rows.map((row) => row.slice(1)) });
    expect(byRole).toMatchObject({ kind: "chart", x: "role", xIsTime: false });
    expect(plotKqlResult({ chart: "line", columns: columns.slice(1), rows: rows.map((row) => row.slice(1)) })).toEqual({
      kind: "table",
      reason: "A line needs a datetime and a numeric column; shown as a table.",
    });
    expect(plotKqlResult({ chart: "bar", columns: columns.slice(0, 2), rows })).toMatchObject({ kind: "table", reason: expect.stringContaining("Bars need") });
    expect(plotKqlResult({ chart: "table", columns, rows })).toEqual({ kind: "table" });
  });
});
