// Splitting an amount of money by weights so the parts add up to it exactly.
// Amounts are integer minor units (cents); each part gets the floor of its
// exact share and the cents left over go, one each, to the largest
// remainders (Hamilton's method). Ties go to the earlier part, so the same
// input always splits the same way.

/** Splits `total` (an integer, possibly negative: a credit) by non-negative weights. */
export function splitCents(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new RangeError(`splitCents needs whole minor units, got ${total}`);
  if (weights.some((w) => !(w >= 0) || !Number.isFinite(w))) throw new RangeError(`splitCents needs finite weights >= 0, got ${weights.join(", ")}`);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum === 0) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError(`cannot split ${total} cents when every weight is 0`);
  }
  if (total < 0) return splitCents(-total, weights).map((part) => (part === 0 ? 0 : -part));
  const quotas = weights.map((w) => (total * w) / sum);
  const parts = quotas.map(Math.floor);
  // Floating point can leave the floors a cent short or (never more than) a cent per part over; settle it.
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = quotas.map((q, i) => ({ i, rest: q - parts[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length) {
    const { i } = order[k]!;
    if (weights[i]! > 0) {
      parts[i]! += 1;
      left -= 1;
    }
  }
  for (let k = order.length - 1; left < 0; k = (k - 1 + order.length) % order.length) {
    const { i } = order[k]!;
    if (parts[i]! > 0) {
      parts[i]! -= 1;
      left += 1;
    }
  }
  return parts;
}
