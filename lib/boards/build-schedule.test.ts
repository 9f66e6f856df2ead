import { describe, expect, it } from "vitest";
import { BuildSchedule, type ScheduleClock } from "./build-schedule";

/** A clock moved by hand: timers fire only when the test advances it. */
function manualClock() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const clock: ScheduleClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      timers.push({ at: now + ms, fn, id: next });
      return next++;
    },
    clearTimeout: (id) => (timers = timers.filter((timer) => timer.id !== id)),
  };
  const advance = async (ms: number) => {
    const until = now + ms;
    await flush();
    for (;;) {
      const due = timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      timers = timers.filter((timer) => timer !== due);
      now = due.at;
      due.fn();
      await flush();
    }
    now = until;
    await flush();
  };
  return { clock, advance, pending: () => timers.length };
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
};

/** Builds that finish only when the test says so. */
function builds() {
  const started: (() => void)[] = [];
  return {
    build: () => new Promise<void>((done) => started.push(done)),
    started,
  };
}

describe("when a board's snapshot is built for its screens", () => {
  it("builds at once after the first notice, and folds a burst into one more build after the interval", async () => {
    const { clock, advance } = manualClock();
    const { build, started } = builds();
    const schedule = new BuildSchedule(build, 1_000, clock);
    schedule.request();
    await advance(0);
    expect(started).toHaveLength(1);
    started[0]!();
    for (let i = 0; i < 5; i++) {
      await advance(100);
      schedule.request();
    }
    expect(started).toHaveLength(1);
    await advance(499);
    expect(started).toHaveLength(1);
    await advance(1);
    expect(started).toHaveLength(2);
    started[1]!();
    await advance(10_000);
    expect(started).toHaveLength(2);
  });

  it("builds again after a build during which a notice came (that build may have read before the change)", async () => {
    const { clock, advance } = manualClock();
    const { build, started } = builds();
    const schedule = new BuildSchedule(build, 1_000, clock);
    schedule.request();
    await advance(0);
    schedule.request();
    schedule.request();
    await advance(5_000);
    expect(started).toHaveLength(1);
    started[0]!();
    await advance(0);
    expect(started).toHaveLength(2);
  });

  it("goes on after a failed build, and builds nothing once stopped", async () => {
    const { clock, advance, pending } = manualClock();
    let calls = 0;
    const schedule = new BuildSchedule(
      async () => {
        calls += 1;
        throw new Error("database away");
      },
      1_000,
      clock,
    );
    schedule.request();
    await advance(0);
    schedule.request();
    await advance(1_000);
    expect(calls).toBe(2);
    schedule.request();
    schedule.stop();
    await advance(5_000);
    expect(calls).toBe(2);
    expect(pending()).toBe(0);
    schedule.request();
    expect(pending()).toBe(0);
  });
});
