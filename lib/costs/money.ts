// Money for people: integer minor units in the bill's currency, formatted by
// Intl.NumberFormat (the currency's own digits and symbol). Pure; runs in the
// browser too.

export function formatMoney(minor: number, currency: string | null, digits: number, locale = "en"): string {
  const major = minor / 10 ** digits;
  if (!currency) return major.toFixed(digits);
  return new Intl.NumberFormat(locale, { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(major);
}

/** Minor units as a plain decimal string with the currency's digits, exact (for CSV: no float rounding, no symbol). */
export function minorToDecimal(minor: number, digits: number): string {
  const sign = minor < 0 ? "-" : "";
  const text = String(Math.abs(minor)).padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
