// Pure: when a scope is due, and when the hourly check will sync it.
import { describe, expect, it } from "vitest";
import { nextScopeSync, scopeIsDue } from "@/lib/costs/sync-plan";

const at = (iso: string) => new Date(iso);

describe("nextScopeSync", () => {
  it("a scope that never synced: the next hourly check", () => {
    expect(nextScopeSync(null, at("2026-12-07T12:30:00Z"), 6).toISOString()).toBe("2026-12-07T13:17:00.000Z");
    expect(nextScopeSync(null, at("2026-12-07T12:10:00Z"), 6).toISOString()).toBe("2026-12-07T12:17:00.000Z");
    expect(nextScopeSync({ lastSyncedAt: null, nextAllowedAt: null }, at("2026-12-07T12:17:00Z"), 6).toISOString()).toBe("2026-12-07T12:17:00.000Z");
  });

  it("a synced scope: the first check at which it is due, the slack included", () => {
    const synced = { lastSyncedAt: at("2026-12-07T06:17:40Z"), nextAllowedAt: null };
    const next = nextScopeSync(synced, at("2026-12-07T07:00:00Z"), 6);
    // Due from 12:12:40: the 12:17 check syncs it, and scopeIsDue agrees there and not an hour before.
    expect(next.toISOString()).toBe("2026-12-07T12:17:00.000Z");
    expect(scopeIsDue(synced, next, 6, false)).toBe(true);
    expect(scopeIsDue(synced, at("2026-12-07T11:17:00Z"), 6, false)).toBe(false);
    // Overdue (the worker was down): the next check from now.
    expect(nextScopeSync(synced, at("2026-12-07T19:20:00Z"), 6).toISOString()).toBe("2026-12-07T20:17:00.000Z");
  });

  it("after a 429: not before Cost Management allows it", () => {
    const throttled = { lastSyncedAt: at("2026-12-07T06:17:00Z"), nextAllowedAt: at("2026-12-07T14:40:00Z") };
    const next = nextScopeSync(throttled, at("2026-12-07T12:20:00Z"), 6);
    expect(next.toISOString()).toBe("2026-12-07T15:17:00.000Z");
    expect(scopeIsDue(throttled, next, 6, false)).toBe(true);
  });
});
