// maxSurge and maxUnavailable resolved as the deployment controller does
// (deploymentutil.ResolveFenceposts): percentages of the desired replicas,
// surge rounded up, unavailable rounded down, and never both zero, or the
// rollout could not move.
export type IntOrPercent = number | string | undefined;

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean): number {
  if (value === undefined) return 0;
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) return Number.isInteger(Number(value)) ? Number(value) : 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export interface Fenceposts {
  maxSurge: number;
  maxUnavailable: number;
}

export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): Fenceposts {
  const surge = scaledValue(maxSurge, desired, true);
  let unavailable = scaledValue(maxUnavailable, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { maxSurge: surge, maxUnavailable: unavailable };
}
