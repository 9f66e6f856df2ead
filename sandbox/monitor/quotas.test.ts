import { describe, expect, it } from "vitest";
import { QueryQuotas } from "./quotas";

describe("Log Analytics query quotas per caller", () => {
  it("refuses the 201st query in 30 s with the seconds until the oldest leaves the window", () => {
    let now = 1_000_000;
    const quotas = new QueryQuotas(undefined, () => now);
    for (let i = 0; i < 200; i++) {
      const admission = quotas.admit("wharf");
      expect(admission.ok).toBe(true);
      if (admission.ok) admission.release();
      now += 50;
    }
    const refused = quotas.admit("wharf");
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 20, message: expect.stringContaining("more than 200 queries in 30 seconds") });
    // Another caller has its own quota.
    expect(quotas.admit("someone-else").ok).toBe(true);
    now = 1_000_000 + 30_001;
    expect(quotas.admit("wharf").ok).toBe(true);
  });

  it("refuses a sixth query while five run, and admits again once one is answered", () => {
    const quotas = new QueryQuotas(undefined, () => 0);
    const running = Array.from({ length: 5 }, () => quotas.admit("wharf"));
    expect(running.every((a) => a.ok)).toBe(true);
    expect(quotas.admit("wharf")).toMatchObject({ ok: false, retryAfterSeconds: 1 });
    const first = running[0]!;
    if (first.ok) {
      first.release();
      first.release();
    }
    expect(quotas.admit("wharf").ok).toBe(true);
    expect(quotas.admit("wharf").ok).toBe(false);
  });
});
