// Quantities as integers of milli-units, so sums of "250m" and "0.1" do not
// drift, and printed back in the API server's canonical form ("1500m", "2",
// "768Mi"): quota status and quota errors show values in that form, and
// Wharf compares them with what it requested.
import { parseQuantity } from "../../../lib/catalog/quantity";

export type QuantityFormat = "DecimalSI" | "BinarySI";

/** Milli-units of a quantity string or number; undefined when it is not a quantity. */
export function toMilli(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? Math.round(value * 1000) : undefined;
  if (typeof value !== "string") return undefined;
  const parsed = parseQuantity(value);
  return parsed === null ? undefined : Math.round(parsed * 1000);
}

/** The format a written quantity keeps when the API server re-prints it. */
export function formatOf(value: unknown): QuantityFormat {
  return typeof value === "string" && /[KMGTPE]i$/.test(value) ? "BinarySI" : "DecimalSI";
}

const decimalSuffixes: [number, string][] = [
  [18, "E"],
  [15, "P"],
  [12, "T"],
  [9, "G"],
  [6, "M"],
  [3, "k"],
];
const binarySuffixes: [number, string][] = [
  [60, "Ei"],
  [50, "Pi"],
  [40, "Ti"],
  [30, "Gi"],
  [20, "Mi"],
  [10, "Ki"],
];

/** resource.Quantity's canonical string: the largest suffix that keeps an integer mantissa. */
export function formatMilli(milli: number, format: QuantityFormat = "DecimalSI"): string {
  if (milli % 1000 !== 0) return `${milli}m`;
  const whole = milli / 1000;
  if (whole === 0) return "0";
  const suffixes = format === "BinarySI" ? binarySuffixes : decimalSuffixes;
  for (const [exponent, suffix] of suffixes) {
    const unit = format === "BinarySI" ? 2 ** exponent : 10 ** exponent;
    if (Math.abs(whole) >= unit && whole % unit === 0) return `${whole / unit}${suffix}`;
  }
  return String(whole);
}

/** Re-prints a quantity as the API server stores it ("1000m" → "1", "0.5" → "500m"). */
export function canonical(value: unknown): string | undefined {
  const milli = toMilli(value);
  return milli === undefined ? undefined : formatMilli(milli, formatOf(value));
}
