import { describe, expect, it } from "vitest";
import { checkQueryHeap, KqlMemoryError } from "./memory";

const mb = 2 ** 20;
/** Heap readings in turn: the first before the guard collects garbage, the second after. */
const readings = (...used: number[]) => {
  let at = 0;
  return () =>
    ({ used_heap_size: used[Math.min(at++, used.length - 1)]! * mb, heap_size_limit: 280 * mb }) as ReturnType<typeof import("node:v8").getHeapStatistics>;
};

describe("the query heap guard", () => {
  it("lets a query go on while the heap is under its share of the limit, without collecting", () => {
    const read = readings(200, 0);
    expect(() => checkQueryHeap(0.85, read)).not.toThrow();
    // Read once: no collection, so no second reading.
    expect(read().used_heap_size).toBe(0);
  });

  it("collects garbage when the heap looks full, and lets the query go on when what is left fits", () => {
    expect(() => checkQueryHeap(0.85, readings(250, 160))).not.toThrow();
  });

  it("stops the query, saying how full the heap is and what to do, when it is still full after collecting", () => {
    let error: unknown;
    try {
      checkQueryHeap(0.85, readings(250, 245));
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(KqlMemoryError);
    expect((error as Error).message).toBe(
      "The sandbox's Log Analytics ran out of memory for this query: its heap held 245 MB of 280 MB while reading rows. " +
        "Query a shorter time range or fewer roles, or give the sandbox more heap (SANDBOX_MAX_HEAP_MB).",
    );
  });
});
