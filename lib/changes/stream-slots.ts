// A bound on the live streams one person or pipeline holds open in a web
// process: each holds a connection, timers and change-feed subscriptions, so
// without one a single client could open thousands. Counted per process (a
// stream lives in one process); with N replicas a client can hold N times the
// bound, which still caps it.
import { AppError } from "@/lib/errors";

export const maxStreamsPerIdentity = 20;

const state = globalThis as typeof globalThis & { wharfStreamSlots?: Map<string, number> };

/** Takes a slot for `identity` or refuses with 429; the returned function gives it back (once, however often called). */
export function takeStreamSlot(identity: string, limit = maxStreamsPerIdentity): () => void {
  const slots = (state.wharfStreamSlots ??= new Map());
  const held = slots.get(identity) ?? 0;
  if (held >= limit) {
    throw new AppError(
      "rate_limited",
      `You have ${held} live streams open, the most Wharf keeps for one person or pipeline. Close some Wharf tabs; pages fall back to refreshing meanwhile.`,
      { retryAfterSeconds: 30 },
    );
  }
  slots.set(identity, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const now = (slots.get(identity) ?? 1) - 1;
    if (now <= 0) slots.delete(identity);
    else slots.set(identity, now);
  };
}

/** How many slots `identity` holds now (for tests and diagnostics). */
export function streamSlotsHeld(identity: string): number {
  return state.wharfStreamSlots?.get(identity) ?? 0;
}
