// What a screen draws: the board's tiles and, per tile, its data with the
// time the data is from (`asOf`) and when it counts as stale. Types only;
// read by get-board-snapshot.ts, drawn by components/boards/kiosk.tsx.
import type { HealthCounts } from "@/lib/health/health-view";
import type { HealthState } from "@/lib/health/types";
import type { MapEdge, RecentCalls } from "@/lib/appmap/types";
import type { Tile } from "./tiles";
import type { TagCheck } from "@/lib/deployments/version-text";

interface TileDataBase {
  /** When the data was true: the poller's last evaluation, or when Wharf read its own tables. Null: never. */
  asOf: string | null;
  /** Older than this many seconds, the tile shows itself stale. */
  staleAfterSeconds: number;
  /** Why the tile has no data (a team archived, a service retired). */
  error?: string;
}

export interface HealthProblem {
  service: string;
  displayName: string;
  environment: string;
  namespace: string;
  state: HealthState;
  message: string;
}

export interface FleetHealthData extends TileDataBase {
  kind: "fleet-health";
  counts: HealthCounts;
  total: number;
  /** Worst first, at most 12; healthy services are only counted. */
  problems: HealthProblem[];
}

export interface ServiceHealthData extends TileDataBase {
  kind: "service-health";
  service: { slug: string; displayName: string } | null;
  environments: {
    environment: string;
    namespace: string;
    cluster: string;
    state: HealthState;
    message: string | null;
    readyReplicas: number | null;
    desiredReplicas: number | null;
    failureRatePct: number | null;
    p95DurationMs: number | null;
    evaluatedAt: string;
    /** The last 24 hours in 15-minute points, oldest first (lib/health/trend-view.ts); empty before the first sample. */
    trend: ServiceTrendPoint[];
  }[];
}

export interface ServiceTrendPoint {
  at: string;
  requestsPerMinute: number | null;
  failureRatePct: number | null;
  p95DurationMs: number | null;
  /** The fewest ready replicas in the point. */
  readyReplicas: number | null;
}

export interface RolloutRow {
  id: string;
  service: string;
  namespace: string;
  environment: string;
  tag: string | null;
  /** "1.4.2 (sha256:0123456789ab)": the tag with the digest that pins it, as every view says it (lib/deployments/version-text.ts). */
  version: string;
  /** What the registry said of the tag the digest was picked as, as every view says it (`tagCheckOf`, decision 0068); null: nothing to check. */
  tagCheck: TagCheck | null;
  status: string;
  reason: string | null;
  readyReplicas: number;
  desiredReplicas: number;
  requestedByName: string;
  at: string;
}

export interface RolloutsData extends TileDataBase {
  kind: "rollouts";
  active: RolloutRow[];
  recent: RolloutRow[];
}

export interface ApprovalsData extends TileDataBase {
  kind: "approvals";
  deployments: RolloutRow[];
  namespaceRequests: { id: string; team: string; name: string; cluster: string; kind: string; requestedByName: string; at: string }[];
}

export interface CostData extends TileDataBase {
  kind: "cost";
  /** The team the figures are of; null: everyone (the whole bill). */
  team: string | null;
  /** ISO 4217; null when no cost is stored for the month yet. */
  currency: string | null;
  minorUnitDigits: number;
  /** The first day of the month and the last day with figures (UTC, YYYY-MM-DD). */
  from: string;
  to: string;
  monthToDateMinor: number;
  /** Per day of the month so far, for the trend line. */
  dailyMinor: number[];
  /** The last 7 days against the 7 before (they may reach into last month). */
  lastWeekMinor: number;
  previousWeekMinor: number;
  /**
   * The month's forecast: the team's part of Cost Management's forecast (everyone: the subscriptions' forecasts), or
   * the month-to-date run rate only when none is stored (decision 0048); null before any cost this month.
   */
  forecastMinor: number | null;
  forecastSource: "cost-management" | "run-rate" | null;
  forecastBasis: string;
  /** The last cost sync's failure: the figures shown are the stored ones, possibly old. */
  syncError: string | null;
}

export interface MapEdgeSummary {
  /** The map's edge id (`<source id>-><target id>`). */
  id: string;
  /** The nodes' labels. */
  source: string;
  target: string;
  calls: number;
  failedCalls: number;
  failurePct: number | null;
  /** Its last minutes' calls (decision 0053), from which the map marks it "failing now"; absent when none were counted. */
  recent?: RecentCalls;
  declaration: MapEdge["declaration"];
  stale: boolean;
}

export interface MapNodeProblem {
  id: string;
  label: string;
  health: Exclude<HealthState, "healthy" | "unknown">;
}

export interface MapData extends TileDataBase {
  kind: "map";
  team: string | null;
  environment: string | null;
  window: string;
  nodes: number;
  edges: number;
  /**
   * The edges failing most, at most 5, worst first by the map's own marks (lib/appmap/map-marks.ts): an edge failing now
   * (its last minutes) before one whose window's rate is high. Edges with no failed call, in the window or recently, are left out.
   */
  failingEdges: MapEdgeSummary[];
  /** Unhealthy, then degraded nodes (health of the map's services), at most 5. */
  nodeProblems: MapNodeProblem[];
  /** Workspaces whose last fetch failed: the map may be missing their edges. */
  sourceErrors: string[];
}

export interface KqlData extends TileDataBase {
  kind: "kql";
  workspace: string;
  chart: "line" | "bar" | "table";
  /** The result's first table as stored by the poller: at most 20 columns and 500 rows, datetimes as ISO strings. */
  columns: { name: string; type: string }[];
  rows: unknown[][];
  /** More rows or columns came back than are kept. */
  truncated: boolean;
  /** When the poller last ran the query (asOf is when it last answered). */
  ranAt: string | null;
}

export interface ClockData extends TileDataBase {
  kind: "clock";
}

export type TileData = FleetHealthData | ServiceHealthData | RolloutsData | ApprovalsData | CostData | MapData | KqlData | ClockData;

export interface BoardSnapshot {
  board: { id: string; slug: string; name: string; team: string | null; tiles: Tile[] };
  tiles: Record<string, TileData>;
  generatedAt: string;
  pollSeconds: number;
}

/** What a screen reads: its board, or its playlist's boards, each with its own data and ages (decision 0036). */
export interface DisplaySnapshot {
  /** A playlist's screen: the playlist; null for a board's screen. */
  playlist: { slug: string; name: string } | null;
  /** The boards in the order shown, each for its seconds (a board's screen: one board, 0 s: it stays). */
  rotation: { boardId: string; seconds: number }[];
  /** Each board of the rotation once. */
  boards: BoardSnapshot[];
  display: { label: string; expiresAt: string };
  /** The build of Wharf that answered: a screen that sees it change reloads itself. */
  version: string;
}
