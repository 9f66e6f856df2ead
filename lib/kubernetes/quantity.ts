// Kubernetes resource quantities ("250m", "0.5", "128Mi", "1G", "1e3"), read
// the way the API server reads them. Two readings:
// - `quantityMilli`: exact, a bigint of milli-units rounded up as
//   resource.Quantity's MilliValue rounds. Every rule that compares or adds
//   quantities uses it, so 3 × 100m is exactly 300m and "0.5" equals "500m"
//   with no epsilon.
// - `parseQuantity`: a float in base units (cores, bytes), for display only
//   (bar widths, ratios).

const binaryExponents: Record<string, bigint> = { Ki: 10n, Mi: 20n, Gi: 30n, Ti: 40n, Pi: 50n, Ei: 60n };
const decimalExponents: Record<string, number> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const pattern = /^(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

interface Parsed {
  /** The digits without the decimal point, and how many of them are after it. */
  digits: bigint;
  fractionDigits: number;
  /** Value = digits / 10^fractionDigits × 2^binary × 10^decimal. */
  binary: bigint;
  decimal: number;
}

function parse(text: string): Parsed | null {
  const match = pattern.exec(text);
  if (!match) return null;
  const whole = match[1] ?? "";
  const fraction = match[2] ?? match[3] ?? "";
  const suffix = match[4] ?? "";
  // Bounded so every quantity stays finite as a float and cheap as a bigint: "1e400" was read as Infinity and
  // passed every ceiling, and an exponent like 1e999999999 would make 10n ** exponent run for ever.
  if (whole.length + fraction.length > maxDigits) return null;
  const digits = BigInt(`${whole}${fraction}` || "0");
  if (suffix in binaryExponents) return { digits, fractionDigits: fraction.length, binary: binaryExponents[suffix]!, decimal: 0 };
  if (suffix in decimalExponents) return { digits, fractionDigits: fraction.length, binary: 0n, decimal: decimalExponents[suffix]! };
  const exponent = Number(suffix.slice(1));
  if (exponent > maxExponent || exponent < minExponent) return null;
  return { digits, fractionDigits: fraction.length, binary: 0n, decimal: exponent };
}

const maxDigits = 40;
const maxExponent = 18;
const minExponent = -9;

/** The quantity in milli-units, exactly (a fraction of a milli-unit rounds up); null when it is not a valid quantity. */
export function quantityMilli(value: string | number): bigint | null {
  const text = typeof value === "number" ? (Number.isFinite(value) && value >= 0 ? String(value) : "") : value;
  const parsed = parse(text);
  if (!parsed) return null;
  const scale = parsed.decimal + 3 - parsed.fractionDigits;
  let numerator = parsed.digits * 2n ** parsed.binary;
  let denominator = 1n;
  if (scale >= 0) numerator *= 10n ** BigInt(scale);
  else denominator = 10n ** BigInt(-scale);
  return (numerator + denominator - 1n) / denominator;
}

/** The quantity's value in base units (cores or bytes), or null when it is not a valid quantity or too large. For display, never for a rule. */
export function parseQuantity(text: string): number | null {
  if (quantityMilli(text) === null) return null;
  const parsed = parse(text)!;
  return (Number(parsed.digits) / 10 ** parsed.fractionDigits) * 2 ** Number(parsed.binary) * 10 ** parsed.decimal;
}

/** The larger of two exact quantities. */
export function maxMilli(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
