import { describe, expect, it } from "vitest";
import { isAppError } from "@/lib/errors";
import { createBulkhead } from "./bulkhead";

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe("bulkhead", () => {
  it("runs at most `concurrency` at once and the rest in order as turns free up", async () => {
    const bulkhead = createBulkhead({ what: "deployment requests", concurrency: 2, maxWaiting: 10, retryAfterSeconds: 5 });
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const results = gates.map((g, index) =>
      bulkhead.run(async () => {
        started.push(index);
        await g.opened;
        return index;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    expect([bulkhead.active, bulkhead.waiting]).toEqual([2, 2]);
    gates[1]!.open();
    await results[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    expect(await Promise.all(results)).toEqual([0, 1, 2, 3]);
  });

  it("refuses with 503 and Retry-After once too many wait, and accepts again when the queue drains", async () => {
    const bulkhead = createBulkhead({ what: "deployment requests", concurrency: 1, maxWaiting: 2, retryAfterSeconds: 7 });
    const hold = gate();
    const accepted = [bulkhead.run(() => hold.opened), bulkhead.run(async () => "second"), bulkhead.run(async () => "third")];
    const refused = await bulkhead.run(async () => "fourth").catch((error: unknown) => error);
    expect(isAppError(refused) && refused.status === 503 && refused.retryAfterSeconds === 7).toBe(true);
    expect((refused as Error).message).toBe("Wharf is busy with 3 deployment requests at the moment; try again in 7 s.");
    hold.open();
    await Promise.all(accepted);
    await expect(bulkhead.run(async () => "later")).resolves.toBe("later");
  });

  it("frees the turn when the work fails", async () => {
    const bulkhead = createBulkhead({ what: "previews", concurrency: 1, maxWaiting: 5, retryAfterSeconds: 1 });
    await expect(bulkhead.run(async () => Promise.reject(new Error("cluster unreachable")))).rejects.toThrow("cluster unreachable");
    await expect(bulkhead.run(async () => "next")).resolves.toBe("next");
  });

  it("gives way while the process's event loop is busy, and only for so long", async () => {
    const bulkhead = createBulkhead({
      what: "deployment requests",
      concurrency: 2,
      maxWaiting: 10,
      retryAfterSeconds: 5,
      yieldAbove: { utilization: 0.6, stepMs: 10, maxYieldMs: 300 },
    });
    const spin = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until);
    };
    const startsAtOnce = async () => {
      let started = false;
      const done = bulkhead.run(async () => {
        started = true;
      });
      await new Promise((resolve) => setImmediate(resolve));
      const atOnce = started;
      await done;
      return atOnce;
    };
    // The loop has just been busy (100 ms of work in one go): the turn waits for a quieter moment.
    spin(100);
    expect(await startsAtOnce()).toBe(false);
    // Idle for a while: it starts at once.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await startsAtOnce()).toBe(true);
    // Busy all along: it still starts, after at most maxYieldMs.
    const busy = setInterval(() => spin(9), 10);
    try {
      const began = performance.now();
      await bulkhead.run(async () => undefined);
      expect(performance.now() - began).toBeLessThan(2_000);
    } finally {
      clearInterval(busy);
    }
  });
});
