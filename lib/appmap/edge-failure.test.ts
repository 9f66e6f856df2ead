// Pure tests of an edge's failure level: the window's rate, or the last
// minutes' when they are worse beyond chance (decision 0053).
import { describe, expect, it } from "vitest";
import { edgeFailure } from "@/lib/appmap/edge-failure";

const recent = (calls: number, failedCalls: number) => ({ minutes: 2, calls, failedCalls, failurePct: calls > 0 ? (100 * failedCalls) / calls : null });

describe("edgeFailure", () => {
  it("reads the window's rate when nothing recent is known", () => {
    expect(edgeFailure({ failurePct: null })).toEqual({ level: "none", recentlyWorse: false });
    expect(edgeFailure({ failurePct: 0.4 })).toEqual({ level: "ok", recentlyWorse: false });
    expect(edgeFailure({ failurePct: 1 })).toEqual({ level: "elevated", recentlyWorse: false });
    expect(edgeFailure({ failurePct: 5 })).toEqual({ level: "failing", recentlyWorse: false });
  });

  it("turns an edge failing when its last minutes fail, though the hour's rate is diluted", () => {
    // A callee whose new pod crash-loops for the last minute and a half: a quarter of its calls dropped since then.
    // 140 calls in two minutes, 26 failed (18.6 %); the hour's 4,000 calls hold them as 0.8 %.
    expect(edgeFailure({ failurePct: 0.8, recent: recent(140, 26) })).toEqual({ level: "failing", recentlyWorse: true });
    // Past the window's own level only as far as the recent bound reaches: 6 of 100 is not surely over 5 %.
    expect(edgeFailure({ failurePct: 0.3, recent: recent(100, 6) })).toEqual({ level: "elevated", recentlyWorse: true });
  });

  it("does not let a few failures among a few recent calls turn an edge red", () => {
    // One failure in 40 calls reads 2.5 % but is what a 0.2 % edge shows now and then; 3 in 20 (15 %) is surely over 1 %, not 5 %.
    expect(edgeFailure({ failurePct: 0.2, recent: recent(40, 1) })).toEqual({ level: "ok", recentlyWorse: false });
    expect(edgeFailure({ failurePct: 0.2, recent: recent(20, 3) })).toEqual({ level: "elevated", recentlyWorse: true });
    expect(edgeFailure({ failurePct: 0.2, recent: recent(0, 0) })).toEqual({ level: "ok", recentlyWorse: false });
  });

  it("judges the last minutes on what their sampled rows are worth (decision 0074)", () => {
    // 12 of 200 calls failed (6 %): surely over 1 % unsampled, and over 5 % is not sure. Sampled 1 in 20, those are
    // 10 rows with under one failed: not even elevated.
    expect(edgeFailure({ failurePct: 0.2, recent: recent(200, 12) })).toEqual({ level: "elevated", recentlyWorse: true });
    expect(edgeFailure({ failurePct: 0.2, recent: { ...recent(200, 12), effectiveCalls: 10 } })).toEqual({ level: "ok", recentlyWorse: false });
    // Half of them failed is failing however few rows say it.
    expect(edgeFailure({ failurePct: 0.2, recent: { ...recent(200, 100), effectiveCalls: 20 } })).toEqual({ level: "failing", recentlyWorse: true });
  });

  it("keeps the window's level when the last minutes are better: a failure that ended still shows for its window", () => {
    expect(edgeFailure({ failurePct: 12, recent: recent(200, 0) })).toEqual({ level: "failing", recentlyWorse: false });
  });
});
