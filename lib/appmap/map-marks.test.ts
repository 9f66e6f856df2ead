// Pure tests of the marks the map and the wall boards' map tile both put on
// an edge: its words, accessible name, colour, and the tile's worst-first order.
import { describe, expect, it } from "vitest";
import { edgeAccessibleName, edgeColours, edgeFailureWords, edgeLabel, worstEdgeFirst } from "@/lib/appmap/map-marks";
import { edgeFailure } from "@/lib/appmap/edge-failure";

const recent = (calls: number, failedCalls: number) => ({ minutes: 2, calls, failedCalls, failurePct: calls > 0 ? (100 * failedCalls) / calls : null });
const edge = (id: string, calls: number, failedCalls: number, recentCalls?: ReturnType<typeof recent>) => ({
  id,
  calls,
  failurePct: calls > 0 ? (100 * failedCalls) / calls : null,
  ...(recentCalls && { recent: recentCalls }),
  declaration: "declared" as const,
  stale: false,
});

describe("an edge's marks", () => {
  it("says 'failing now' with the last minutes' figure when they make a diluted edge fail", () => {
    // The crash of e2e/map-crash.spec.ts: the hour reads 0.8 %, the last 2 minutes 26 of 140.
    const crashed = edge("a->b", 4000, 32, recent(140, 26));
    expect(edgeFailureWords(crashed)).toBe("failing now");
    expect(edgeLabel(crashed)).toBe("failing now");
    expect(edgeAccessibleName(crashed, "Workflow", "Drone Scheduler")).toBe(
      "Workflow calls Drone Scheduler: 4000 calls, 0.8 % failed, failing now (18.6 % of 140 calls in the last 2 minutes failed)",
    );
    expect(edgeColours[edgeFailure(crashed).level]).toBe(edgeColours.failing);
  });

  it("says 'failing' alone when the window's rate does, and nothing (but the figures) for an edge that is fine", () => {
    const failing = { ...edge("a->b", 100, 10, recent(20, 0)), declaration: "undeclared" as const, stale: true };
    expect(edgeLabel(failing)).toBe("undeclared · failing");
    expect(edgeAccessibleName(failing, "A", "B")).toBe(
      "A calls B: 100 calls, 10.0 % failed, failing (0.0 % of 20 calls in the last 2 minutes failed), not declared in the catalog, stale",
    );
    const fine = edge("a->c", 1000, 1, recent(40, 1));
    expect(edgeFailureWords(fine)).toBeNull();
    expect(edgeLabel(fine)).toBeNull();
    expect(edgeColours[edgeFailure(fine).level]).toBe(edgeColours.ok);
  });

  it("orders a short list worst first: failing now before failing by the window, then elevated, then by rate and calls", () => {
    const edges = [
      edge("ok", 1000, 3),
      edge("window-failing", 100, 30),
      edge("elevated", 1000, 20),
      edge("failing-now", 4000, 32, recent(140, 26)),
      edge("window-failing-busier", 1000, 300),
    ];
    expect(edges.sort(worstEdgeFirst).map((e) => e.id)).toEqual(["failing-now", "window-failing-busier", "window-failing", "elevated", "ok"]);
  });
});
