// A bulkhead: at most `concurrency` of one kind of expensive work at once in
// this process, the rest waiting their turn without using CPU. A burst of
// such requests (a hundred pipelines deploying at once) then takes turns
// instead of all interleaving on the one event loop, so every other request
// the process serves (pages, API reads, live streams) stays quick. When more
// than `maxWaiting` wait, new ones are refused with 503 and Retry-After
// rather than queued without bound.
import pLimit from "p-limit";
import { AppError } from "@/lib/errors";

export interface Bulkhead {
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createBulkhead({ what, concurrency, maxWaiting, retryAfterSeconds }: { what: string; concurrency: number; maxWaiting: number; retryAfterSeconds: number }): Bulkhead {
  const limit = pLimit(concurrency);
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
          new AppError("overloaded", `Wharf is busy with ${limit.activeCount + limit.pendingCount} ${what} at the moment; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds }),
        );
      }
      return limit(work);
    },
  };
}
