// The sandbox answers every Log Analytics query in one process with a small
// heap (sandbox/kubernetes/heap-limits.ts), beside its fake AKS API servers and
// its identity provider. A query whose rows do not fit (the application map's
// join over a day of 2,000 roles) used to take the whole process down with it:
// V8 aborts on an exhausted heap. The evaluator looks at the heap as it reads
// rows and stops such a query with an error its caller can show, while there
// is still room to answer it. A heap that looks full may hold mostly rows the
// query already let go: before refusing, the guard collects them (a full
// collection, once in a while, only when the heap is that full) and looks again.
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A query is stopped once the heap holds more than this share of its limit. */
export const queryHeapShare = 0.75;

/** How many rows a scan reads between two looks at the heap. */
export const rowsBetweenChecks = 4096;

/** The query needs more memory than the sandbox's process has. */
export class KqlMemoryError extends Error {
  constructor(
    readonly usedMb: number,
    readonly limitMb: number,
  ) {
    super(
      `The sandbox's Log Analytics ran out of memory for this query: its heap held ${usedMb} MB of ${limitMb} MB while reading rows. ` +
        "Query a shorter time range or fewer roles, or give the sandbox more heap (SANDBOX_MAX_HEAP_MB).",
    );
    this.name = "KqlMemoryError";
  }
}

let collect: (() => void) | undefined;

/** A full garbage collection: V8's own `gc`, which a new context exposes once the flag is set (the process was not started with it). */
function collectGarbage(): void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}

const full = (heap: { used_heap_size: number; heap_size_limit: number }, share: number) => heap.used_heap_size > heap.heap_size_limit * share;

/** Throws KqlMemoryError when the heap, garbage collected, is still fuller than `share` of its limit. */
export function checkQueryHeap(share = queryHeapShare, read = getHeapStatistics): void {
  if (!full(read(), share)) return;
  collectGarbage();
  const heap = read();
  if (!full(heap, share)) return;
  throw new KqlMemoryError(Math.round(heap.used_heap_size / 2 ** 20), Math.round(heap.heap_size_limit / 2 ** 20));
}
