import { describe, expect, it } from "vitest";
import { coalesce } from "@/lib/changes/coalesce";

function fakeClock() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  return {
    now: () => now,
    setTimeout: (fn: () => void, ms: number) => {
      const id = next++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id: unknown) => {
      const index = timers.findIndex((t) => t.id === id);
      if (index >= 0) timers.splice(index, 1);
    },
    advance(ms: number) {
      now += ms;
      for (const timer of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(timer), 1);
        timer.fn();
      }
    },
  };
}

describe("coalesce", () => {
  it("runs the first call at once and folds a burst into one trailing run per interval", () => {
    const clock = fakeClock();
    const runs: number[] = [];
    const refetch = coalesce(() => runs.push(clock.now()), 400, clock);
    refetch();
    expect(runs).toEqual([0]);
    clock.advance(50);
    refetch();
    clock.advance(50);
    refetch();
    refetch();
    expect(runs).toEqual([0]);
    clock.advance(300);
    expect(runs).toEqual([0, 400]);
    clock.advance(1000);
    refetch();
    expect(runs).toEqual([0, 400, 1400]);
  });

  it("never loses the last notice, and cancel drops a pending run", () => {
    const clock = fakeClock();
    const runs: number[] = [];
    const refetch = coalesce(() => runs.push(clock.now()), 400, clock);
    refetch();
    clock.advance(10);
    refetch();
    refetch.cancel();
    clock.advance(1000);
    expect(runs).toEqual([0]);
  });
});
