// The health cycle's scheduling: slots that dedupe chained jobs, and the lock
// that keeps two cycles (two workers, or a cron kick beside a chained job) apart.
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { nextCycle, withCycleLock } from "@/lib/telemetry/health-poll-job";

describe("nextCycle", () => {
  it("starts the next cycle at the next multiple of the cycle length, whoever asks within a slot", () => {
    expect(nextCycle(Date.parse("2026-12-04T14:00:03.200Z"), 5)).toEqual({ slot: Date.parse("2026-12-04T14:00:05Z") / 5000, startAfterSeconds: 2 });
    expect(nextCycle(Date.parse("2026-12-04T14:00:04.900Z"), 5).slot).toBe(nextCycle(Date.parse("2026-12-04T14:00:00.100Z"), 5).slot);
    expect(nextCycle(Date.parse("2026-12-04T14:00:04.990Z"), 5).startAfterSeconds).toBe(1);
  });
});

describe("withCycleLock", () => {
  it("runs one cycle at a time: a second caller gets undefined at once, and the lock is free after", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = withCycleLock(async () => {
      await held;
      return "first";
    });
    await sleep(300);
    const started = Date.now();
    expect(await withCycleLock(async () => "second")).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    release();
    expect(await first).toBe("first");
    expect(await withCycleLock(async () => "third")).toBe("third");
  });

  it("frees the lock when the cycle throws", async () => {
    await expect(withCycleLock(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await withCycleLock(async () => "after")).toBe("after");
  });
});
