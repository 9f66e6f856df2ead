// Cost Management's query processing units: one QPU per month of data a
// request covers, counted per tenant against 12 per 10 s, 60 per minute and
// 600 per hour. A request that would exceed any of them is refused whole.
// A sandbox may run the windows faster (`speed` divides their length, the
// limits stay): tests do, so a sync's waits take a second, not a minute.

export const qpuQuotas = [
  { name: "QueriesPerHour", windowMs: 3_600_000, limit: 600 },
  { name: "QueriesPerMin", windowMs: 60_000, limit: 60 },
  { name: "QueriesPer10Sec", windowMs: 10_000, limit: 12 },
] as const;

export type Charge = { ok: true; consumed: number; remaining: string } | { ok: false; retryAfterSeconds: number };

export class QpuLedger {
  private spent: { at: number; qpu: number }[] = [];
  private readonly quotas: { name: string; windowMs: number; limit: number }[];

  constructor(
    private readonly clock: () => number = Date.now,
    /** Divides every window's length (1: Azure's). */
    readonly speed = 1,
  ) {
    if (!Number.isFinite(speed) || speed <= 0) throw new Error(`the QPU quota speed must be a positive number, not ${speed}`);
    this.quotas = qpuQuotas.map((quota) => ({ ...quota, windowMs: quota.windowMs / speed }));
  }

  charge(qpu: number): Charge {
    const now = this.clock();
    this.spent = this.spent.filter((s) => s.at > now - this.quotas[0]!.windowMs);
    let waitMs = 0;
    for (const quota of this.quotas) {
      const inWindow = this.spent.filter((s) => s.at > now - quota.windowMs);
      let used = inWindow.reduce((sum, s) => sum + s.qpu, 0);
      if (used + qpu <= quota.limit) continue;
      // Wait until enough of the oldest spending has left the window.
      for (const s of inWindow) {
        used -= s.qpu;
        if (used + qpu <= quota.limit) {
          waitMs = Math.max(waitMs, s.at + quota.windowMs - now);
          break;
        }
      }
      if (used + qpu > quota.limit) waitMs = Math.max(waitMs, quota.windowMs);
    }
    if (waitMs > 0) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    this.spent.push({ at: now, qpu });
    return { ok: true, consumed: qpu, remaining: this.remaining(now) };
  }

  /** Other clients of the tenant spend `qpu` now (fault injection): counted in every window, never refused. */
  spend(qpu: number): void {
    this.spent.push({ at: this.clock(), qpu });
  }

  private remaining(now: number): string {
    return this.quotas.map((q) => `${q.name}:${q.limit - this.spent.filter((s) => s.at > now - q.windowMs).reduce((sum, s) => sum + s.qpu, 0)}`).join(",");
  }

  reset(): void {
    this.spent = [];
  }
}
