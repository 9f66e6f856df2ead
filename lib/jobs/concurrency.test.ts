// Integration: the limit holds across separate PostgreSQL sessions, which is
// what separate worker processes are to advisory locks.
import { setTimeout as sleep } from "node:timers/promises";
import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { closeConcurrencyPool, withConcurrencyLimit } from "@/lib/jobs/concurrency";

afterAll(closeConcurrencyPool);

describe("withConcurrencyLimit", () => {
  it("never lets more than `limit` callers of one key run at once", async () => {
    const key = `cluster:${randomUUID()}`;
    let inFlight = 0;
    let maxInFlight = 0;
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        withConcurrencyLimit(key, 3, async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await sleep(5 + (i % 4) * 5);
          inFlight--;
          return i;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(maxInFlight).toBeLessThanOrEqual(3);
    expect(maxInFlight).toBeGreaterThanOrEqual(1);
  });

  it("keeps keys apart, frees the slot when fn throws, and stops waiting when aborted", async () => {
    const key = `cluster:${randomUUID()}`;
    await expect(withConcurrencyLimit(key, 1, async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    let release!: () => void;
    let holding!: () => void;
    const holds = new Promise<void>((done) => (holding = done));
    const held = withConcurrencyLimit(key, 1, () => {
      holding();
      return new Promise<void>((done) => (release = done));
    });
    await holds;
    // Another key is not held up by this one.
    expect(await withConcurrencyLimit(`cluster:${randomUUID()}`, 1, async () => "other")).toBe("other");
    try {
      const controller = new AbortController();
      const waiting = withConcurrencyLimit(key, 1, async () => "never", controller.signal);
      controller.abort(new Error("the job was stopped"));
      await expect(waiting).rejects.toThrow("the job was stopped");
    } finally {
      release();
      await held;
    }
    expect(await withConcurrencyLimit(key, 1, async () => "free again")).toBe("free again");
  });
});
