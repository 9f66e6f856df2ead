// A bulkhead: at most `concurrency` of one kind of expensive work at once in
// this process, the rest waiting their turn without using CPU. A burst of
// such requests (a hundred pipelines deploying at once) then takes turns
// instead of all interleaving on the one event loop, so every other request
// the process serves (pages, API reads, live streams) stays quick. When more
// than `maxWaiting` wait, new ones are refused with 503 and Retry-After
// rather than queued without bound.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import { AppError } from "@/lib/errors";

export interface Bulkhead {
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export interface BulkheadOptions {
  what: string;
  concurrency: number;
  maxWaiting: number;
  retryAfterSeconds: number;
  /**
   * Give way to the rest of the process: while its event loop has been busy
   * more than this share of the time since the last turn began (0 to 1), a
   * turn waits in steps of `stepMs`, up to `maxYieldMs`, before it starts.
   */
  yieldAbove?: { utilization: number; stepMs: number; maxYieldMs: number };
}

export function createBulkhead({ what, concurrency, maxWaiting, retryAfterSeconds, yieldAbove }: BulkheadOptions): Bulkhead {
  const limit = pLimit(concurrency);
  let sample = performance.eventLoopUtilization();
  const busy = () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, sample);
    sample = now;
    return utilization > yieldAbove!.utilization;
  };
  const giveWay = async () => {
    if (!yieldAbove) return;
    for (let waited = 0; waited < yieldAbove.maxYieldMs && busy(); waited += yieldAbove.stepMs) await sleep(yieldAbove.stepMs);
  };
  return {
    get active() {
      return limit.activeCount;
    },
    get waiting() {
      return limit.pendingCount;
    },
    run(work) {
      if (limit.pendingCount >= maxWaiting) {
        return Promise.reject(
          new AppError(
            "overloaded",
            `Wharf is busy with ${limit.activeCount + limit.pendingCount} ${what} at the moment; try again in ${retryAfterSeconds} s.`,
            { retryAfterSeconds },
          ),
        );
      }
      return limit(async () => {
        await giveWay();
        return work();
      });
    },
  };
}
