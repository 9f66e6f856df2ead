// Pure: how failing an edge of the map is, for its colour and the words beside
// it. The window's rate as it reads (an hour, a day, a week), and the last
// minutes' rate judged by its 99 % lower bound (as health judges a failure
// rate, decision 0044, on what its sampled rows are worth, decision 0074), so
// a few failures among a few calls that chance explains do not turn an edge
// red; the worse of the two wins (decision 0053).
import { failureRateLowerBoundPct } from "@/lib/health/model";
import type { MapEdge } from "@/lib/appmap/types";

export type EdgeFailureLevel = "none" | "ok" | "elevated" | "failing";

/** At or above: failing (red). */
export const edgeFailingPct = 5;
/** At or above: elevated (amber). */
export const edgeElevatedPct = 1;

export interface EdgeFailure {
  level: EdgeFailureLevel;
  /** The last minutes make it worse than its window reads: a failure that began recently. */
  recentlyWorse: boolean;
}

const rank: Record<EdgeFailureLevel, number> = { none: 0, ok: 1, elevated: 2, failing: 3 };

const levelOf = (pct: number): EdgeFailureLevel => (pct >= edgeFailingPct ? "failing" : pct >= edgeElevatedPct ? "elevated" : "ok");

export function edgeFailure(edge: Pick<MapEdge, "failurePct" | "recent">): EdgeFailure {
  const window: EdgeFailureLevel = edge.failurePct === null ? "none" : levelOf(edge.failurePct);
  const recent: EdgeFailureLevel =
    edge.recent && edge.recent.calls > 0 ? levelOf(failureRateLowerBoundPct(edge.recent.failedCalls, edge.recent.calls, edge.recent.effectiveCalls)) : "none";
  return rank[recent] > rank[window] ? { level: recent, recentlyWorse: recent !== "ok" } : { level: window, recentlyWorse: false };
}
