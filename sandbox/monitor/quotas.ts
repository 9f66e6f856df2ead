// Log Analytics' per-user query limits (Azure Monitor service limits, "User
// query throttling"): at most 200 queries per 30 seconds and 5 running at
// once per caller. The real service queues what is over the concurrency
// limit; the sandbox answers 429 at once, which is what a client sees when
// the queue is full, so Wharf's back-off is what gets exercised.

export interface QuotaLimits {
  perWindow: number;
  windowMs: number;
  concurrent: number;
}

export const logAnalyticsLimits: QuotaLimits = { perWindow: 200, windowMs: 30_000, concurrent: 5 };

export type Admission = { ok: true; release: () => void } | { ok: false; retryAfterSeconds: number; message: string };

export class QueryQuotas {
  private readonly started = new Map<string, number[]>();
  private readonly running = new Map<string, number>();

  constructor(
    private readonly limits: QuotaLimits = logAnalyticsLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Counts one query for `caller`, or says how long to wait. Call `release` when it has been answered. */
  admit(caller: string): Admission {
    const now = this.clock();
    const recent = (this.started.get(caller) ?? []).filter((at) => at > now - this.limits.windowMs);
    this.started.set(caller, recent);
    if (recent.length >= this.limits.perWindow) {
      const retryAfterSeconds = Math.max(1, Math.ceil((recent[0]! + this.limits.windowMs - now) / 1000));
      return {
        ok: false,
        retryAfterSeconds,
        message:
          `Too many requests: more than ${this.limits.perWindow} queries in ${this.limits.windowMs / 1000} seconds for this user. ` +
          `Retry after ${retryAfterSeconds} seconds.`,
      };
    }
    const running = this.running.get(caller) ?? 0;
    if (running >= this.limits.concurrent) {
      return {
        ok: false,
        retryAfterSeconds: 1,
        message: `Too many requests: more than ${this.limits.concurrent} concurrent queries for this user. Retry after 1 seconds.`,
      };
    }
    recent.push(now);
    this.running.set(caller, running + 1);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.running.get(caller) ?? 1) - 1;
        if (left > 0) this.running.set(caller, left);
        else this.running.delete(caller);
      },
    };
  }
}
