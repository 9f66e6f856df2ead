// Pure: how the map marks an edge's failures and a node's health, in words,
// accessible names and colours, for every place that shows the map: the page
// `/map` (components/appmap/app-map.tsx) and the wall boards' map tile
// (components/boards/kiosk-tiles.tsx, whose edges lib/boards/map-tile-data.ts
// picks by the same level). The level itself is edge-failure.ts's rule.
import { edgeFailure, type EdgeFailureLevel } from "@/lib/appmap/edge-failure";
import type { MapEdge } from "@/lib/appmap/types";
import type { HealthState } from "@/lib/health/types";

/** An edge's figures the marks read (a map's edge, a team-collapsed edge, a board tile's summary of one). */
export type EdgeFigures = Pick<MapEdge, "calls" | "failurePct" | "recent"> & Partial<Pick<MapEdge, "declaration" | "stale">>;

/**
 * Stroke and text colour of an edge by its level: the theme's tokens (app/globals.css `--edge-*`, the status colours), so
 * readable on the light and dark themes and, the wall screen's root being `dark`, on its black.
 */
export const edgeColours: Record<EdgeFailureLevel, string> = {
  none: "var(--edge-none)",
  ok: "var(--edge-ok)",
  elevated: "var(--edge-elevated)",
  failing: "var(--edge-failing)",
};

/** Icon and word of a node's health: never colour alone. */
export const healthMarks: Record<HealthState, { icon: string; word: string }> = {
  healthy: { icon: "✓", word: "Healthy" },
  degraded: { icon: "!", word: "Degraded" },
  unhealthy: { icon: "✕", word: "Unhealthy" },
  unknown: { icon: "?", word: "Unknown" },
};

/** The words an edge's level adds to its label and its accessible name: "failing now" when its last minutes made it so. */
export function edgeFailureWords(edge: Pick<EdgeFigures, "failurePct" | "recent">): string | null {
  const { level, recentlyWorse } = edgeFailure(edge);
  if (level !== "failing" && level !== "elevated") return null;
  const word = level === "failing" ? "failing" : "elevated failures";
  return recentlyWorse ? `${word} now` : word;
}

/** The last minutes' figure, e.g. "18.6 % of 140 calls in the last 2 minutes failed"; null when none was counted. */
export function edgeRecentText(edge: Pick<EdgeFigures, "recent">): string | null {
  const recent = edge.recent;
  if (!recent || recent.failurePct === null) return null;
  return `${recent.failurePct.toFixed(1)} % of ${Math.round(recent.calls)} calls in the last ${recent.minutes} minutes failed`;
}

/** The edge's visible label: "undeclared" and its failure words, or nothing. */
export function edgeLabel(edge: EdgeFigures): string | null {
  const labels = [edge.declaration === "undeclared" ? "undeclared" : null, edgeFailureWords(edge)].filter(Boolean);
  return labels.length ? labels.join(" · ") : null;
}

/** The edge's accessible name, e.g. "Workflow calls Drone Scheduler: 2960 calls, 0.8 % failed, failing now (18.6 % of …)". */
export function edgeAccessibleName(edge: EdgeFigures, sourceLabel: string, targetLabel: string): string {
  const failure = edge.failurePct === null ? "" : `, ${edge.failurePct.toFixed(1)} % failed`;
  const words = edgeFailureWords(edge);
  const recent = edgeRecentText(edge);
  return (
    `${sourceLabel} calls ${targetLabel}: ${Math.round(edge.calls)} calls${failure}${words ? `, ${words}` : ""}${recent ? ` (${recent})` : ""}` +
    `${edge.declaration === "undeclared" ? ", not declared in the catalog" : ""}${edge.stale ? ", stale" : ""}`
  );
}

const levelRank: Record<EdgeFailureLevel, number> = { none: 0, ok: 1, elevated: 2, failing: 3 };

/**
 * Worst first, for a short list of an edge set's failures (the board's map tile): by level, an edge failing now before one
 * whose window says so, then by the rate that set the level, then by calls.
 */
export function worstEdgeFirst(a: EdgeFigures & { id: string }, b: EdgeFigures & { id: string }): number {
  const fa = edgeFailure(a);
  const fb = edgeFailure(b);
  const rate = (edge: EdgeFigures, recentlyWorse: boolean) => (recentlyWorse ? edge.recent?.failurePct : edge.failurePct) ?? 0;
  return (
    levelRank[fb.level] - levelRank[fa.level] ||
    Number(fb.recentlyWorse) - Number(fa.recentlyWorse) ||
    rate(b, fb.recentlyWorse) - rate(a, fa.recentlyWorse) ||
    b.calls - a.calls ||
    a.id.localeCompare(b.id)
  );
}
