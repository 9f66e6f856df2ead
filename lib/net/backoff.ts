// How long to wait before trying again after a failure, for everything in
// Wharf that retries: background jobs (lib/jobs/retry-policy.ts) and
// Kubernetes watches (lib/kubernetes/informer.ts). Pure; any unit.

export interface BackoffRange {
  /** Ceiling of the wait after the first failure; it doubles with each failure after that. */
  initial: number;
  /** The ceiling stops doubling here. */
  max: number;
}

/**
 * Exponential backoff with "equal jitter": half of the ceiling is fixed and
 * half random, so clients that failed together (a cluster throttling all of
 * them) spread out, and no wait collapses to zero. `failures` counts from 1.
 */
export function backoffWithJitter(failures: number, range: BackoffRange, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const ceiling = Math.min(range.max, range.initial * 2 ** exponent);
  return ceiling / 2 + (ceiling / 2) * random();
}
