// Quantities as integers of milli-units, so sums of "250m" and "0.1" do not
// drift, and printed back in the API server's canonical form ("1500m", "2",
// "768Mi"): quota status and quota errors show values in that form, and
// Wharf compares them with what it requested. The sandbox reads quantities
// with its own parser, not Wharf's (lib/kubernetes/quantity.ts): it stands in
// for the API server, so a bug in Wharf's reading must not be mirrored here.

const pattern = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;
const binaryExponents: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const decimalExponents: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** A quantity's value in base units, or null when the API server would refuse it. */
function parseQuantity(text: string): number | null {
  const match = pattern.exec(text);
  if (!match) return null;
  const number = Number(match[1]);
  const suffix = match[2] ?? "";
  if (suffix in binaryExponents) return number * 2 ** binaryExponents[suffix]!;
  if (suffix in decimalExponents) return number * 10 ** decimalExponents[suffix]!;
  return number * 10 ** Number(suffix.slice(1));
}

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
