// How a KQL tile's stored result is drawn: a line or bar chart of the first
// numeric column against the first datetime column (or, for bars, the first
// text column), or a table when the result has no such pair. Pure, for the kiosk.
import type { KqlData } from "./board-snapshot";

const numericTypes = new Set(["int", "long", "real", "decimal"]);

export type KqlPlot =
  | { kind: "chart"; x: string; y: string; xIsTime: boolean; points: { label: string; at: number; value: number }[]; min: number; max: number }
  | { kind: "table"; reason?: string };

export function plotKqlResult(data: Pick<KqlData, "chart" | "columns" | "rows">): KqlPlot {
  if (data.chart === "table") return { kind: "table" };
  const yIndex = data.columns.findIndex((column) => numericTypes.has(column.type));
  const timeIndex = data.columns.findIndex((column) => column.type === "datetime");
  const xIndex = timeIndex >= 0 ? timeIndex : data.chart === "bar" ? data.columns.findIndex((column) => column.type === "string") : -1;
  if (yIndex < 0 || xIndex < 0)
    return {
      kind: "table",
      reason:
        data.chart === "line"
          ? "A line needs a datetime and a numeric column; shown as a table."
          : "Bars need a datetime or text column and a numeric one; shown as a table.",
    };
  const xIsTime = xIndex === timeIndex;
  const points = data.rows
    .map((row) => {
      const x = row[xIndex];
      const value = Number(row[yIndex]);
      return { label: String(x ?? ""), at: xIsTime ? Date.parse(String(x)) : 0, value };
    })
    .filter((point) => Number.isFinite(point.value) && (!xIsTime || Number.isFinite(point.at)));
  if (xIsTime) points.sort((a, b) => a.at - b.at);
  const values = points.map((point) => point.value);
  return {
    kind: "chart",
    x: data.columns[xIndex]!.name,
    y: data.columns[yIndex]!.name,
    xIsTime,
    points,
    min: Math.min(0, ...values),
    max: Math.max(0, ...values),
  };
}
