import { describe, expect, it } from "vitest";
import { QpuLedger } from "./quota";

describe("QpuLedger", () => {
  it("holds the minute quota of 60 across 10-second windows and says how long to wait", () => {
    let now = 0;
    const ledger = new QpuLedger(() => now);
    for (let window = 0; window < 5; window += 1) {
      now = window * 10_000;
      for (let i = 0; i < 4; i += 1) expect(ledger.charge(3).ok).toBe(true);
      // The fifth window also fills the minute: wait until the first spending is a minute old.
      expect(ledger.charge(1)).toEqual({ ok: false, retryAfterSeconds: window === 4 ? 20 : 10 });
    }
    now = 50_000;
    // 60 in the last minute: the first spending leaves the minute window at 60 s.
    expect(ledger.charge(1)).toEqual({ ok: false, retryAfterSeconds: 10 });
    now = 60_001;
    expect(ledger.charge(3)).toEqual({ ok: true, consumed: 3, remaining: "QueriesPerHour:537,QueriesPerMin:9,QueriesPer10Sec:9" });
  });

  it("holds the hour quota of 600", () => {
    let now = 0;
    const ledger = new QpuLedger(() => now);
    for (let minute = 0; minute < 10; minute += 1) {
      for (let window = 0; window < 5; window += 1) {
        now = minute * 60_000 + window * 10_000;
        expect(ledger.charge(12).ok).toBe(true);
      }
    }
    now = 10 * 60_000;
    const refused = ledger.charge(1);
    expect(refused.ok).toBe(false);
    // The first 12 leave the hour window one hour after they were spent.
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 3000 });
  });

  it("runs its windows faster by its speed, with the same limits, and counts what other clients spent", () => {
    let now = 0;
    const ledger = new QpuLedger(() => now, 60);
    ledger.spend(11);
    // The 10-second window lasts 167 ms: the 11 others spent and 1 more fill it.
    expect(ledger.charge(1)).toEqual({ ok: true, consumed: 1, remaining: "QueriesPerHour:588,QueriesPerMin:48,QueriesPer10Sec:0" });
    expect(ledger.charge(1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // The minute lasts a second: four more 12s fill it.
    for (now of [167, 400, 600, 800]) expect(ledger.charge(12).ok).toBe(true);
    now = 900;
    expect(ledger.charge(1)).toEqual({ ok: false, retryAfterSeconds: 1 });
    // The first 12 left the minute at 1,000 ms; the hour lasts a minute and keeps them.
    now = 1_001;
    expect(ledger.charge(12)).toEqual({ ok: true, consumed: 12, remaining: "QueriesPerHour:528,QueriesPerMin:0,QueriesPer10Sec:0" });
    expect(() => new QpuLedger(() => now, 0)).toThrow(/positive/);
  });
});
