// Live views get the same subject from two sides, pushes and polls, which can
// arrive out of order.

/**
 * The newer of two versions of a view, by `updatedAt` when both have one, with
 * the fields only the older has kept (a pushed view leaves out what never
 * changes). Also the queries' structuralSharing, so a slow poll that answers
 * after a push cannot put an older state back on the page.
 */
export function mergeNewer<T extends object>(current: T, incoming: Partial<T>): T {
  const stamp = (value: object) =>
    typeof (value as { updatedAt?: unknown }).updatedAt === "string" ? Date.parse((value as { updatedAt: string }).updatedAt) : Number.NaN;
  const before = stamp(current);
  const after = stamp(incoming);
  if (after < before) return current;
  return { ...current, ...incoming };
}
