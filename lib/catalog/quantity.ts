// Kubernetes resource quantities ("250m", "0.5", "128Mi", "1G", "1e3"), parsed
// the way the API server reads them, so Wharf can compare requests and limits.

const binary: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimal: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, "": 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

const pattern = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$/;

/**
 * The quantity's value in base units (cores or bytes), or null when it is not
 * a valid quantity or too large to compare ("1e400" is Infinity as a number,
 * which would pass every "at most" check and then read "Infinitym" in messages).
 */
export function parseQuantity(text: string): number | null {
  const match = pattern.exec(text.trim());
  if (!match || text.trim() !== text) return null;
  const value = scaled(Number(match[1]), match[2] ?? "");
  return value !== null && Number.isFinite(value) ? value : null;
}

function scaled(number: number, suffix: string): number | null {
  if (suffix in binary) return number * binary[suffix]!;
  if (suffix in decimal) return number * decimal[suffix]!;
  if (/^[eE]/.test(suffix)) return number * 10 ** Number(suffix.slice(1));
  return null;
}
