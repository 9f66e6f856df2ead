// A cost view as CSV: one row per day and line, amounts as exact decimals in
// the bill's currency. Cells that a spreadsheet would run as a formula
// (starting with = + - @ or a tab) are prefixed with a quote (OWASP CSV
// injection); every cell is quoted.
import type { CostView } from "./get-costs";
import { minorToDecimal } from "./money";

const cell = (value: string) => `"${(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value).replace(/"/g, '""')}"`;

export function costCsv(view: CostView): string {
  const header = ["day", view.groupBy, "label", "line", "amount", "currency"];
  const rows = view.lines.flatMap((line) =>
    view.days.flatMap((day, i) => {
      const minor = line.dailyMinor[i]!;
      return minor === 0 ? [] : [[day, line.key, line.label, line.apart ?? "group", minorToDecimal(minor, view.minorUnitDigits), view.currency ?? ""]];
    }),
  );
  rows.sort((a, b) => a[0]!.localeCompare(b[0]!));
  return [header, ...rows].map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}
