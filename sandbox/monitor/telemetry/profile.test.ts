import { describe, expect, it } from "vitest";
import { roleProfile } from "./profile";

describe("role profiles", () => {
  // A good tag must read healthy in Wharf: before, one role in five failed 1–1.2 % of its requests when nothing was
  // wrong, so a freshly deployed critical service (degraded at 1 %) showed degraded in the health e2e.
  it("a healthy role fails well under 1 % of its requests, for any role name", () => {
    const rates = Array.from({ length: 2000 }, (_, i) => roleProfile("wharf-sandbox", `Team${i % 7}.Service-${i}`).baseFailure);
    expect(Math.max(...rates)).toBeLessThanOrEqual(0.005);
    expect(Math.min(...rates)).toBeGreaterThan(0);
    expect(roleProfile("wharf-sandbox", "Payments.Ledger").baseFailure).toBeLessThan(0.005);
  });
});
