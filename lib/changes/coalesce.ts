// A burst of change notices (a rollout writes ~10 in a few seconds) becomes at
// most one refetch per interval: the first at once, the last one at the end of
// the interval, none lost. Pages and the deployments bench share this.

export interface Coalesced {
  (): void;
  cancel(): void;
}

export function coalesce(
  run: () => void,
  intervalMs: number,
  clock: { now(): number; setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void } = defaultClock,
): Coalesced {
  let last = Number.NEGATIVE_INFINITY;
  let timer: unknown;
  const fire = () => {
    timer = undefined;
    last = clock.now();
    run();
  };
  const call = (() => {
    if (timer !== undefined) return;
    const wait = last + intervalMs - clock.now();
    if (wait <= 0) fire();
    else timer = clock.setTimeout(fire, wait);
  }) as Coalesced;
  call.cancel = () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
  return call;
}

const defaultClock = {
  now: () => Date.now(),
  setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
  clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** How often a live page refetches at most while notices keep coming. */
export const refetchIntervalMs = 400;
