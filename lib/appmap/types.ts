// The application map as Wharf stores and serves it: nodes (catalog services,
// roles no service claims, external dependencies grouped by type and target),
// edges with their figures, and where the catalog's declared dependencies
// differ from what telemetry shows.
import type { HealthState } from "@/lib/health/types";
import type { MapWindow } from "@/lib/health/queries";

export type { MapWindow };

export type MapNodeKind = "service" | "unknown" | "external" | "external-group";

export interface MapNode {
  /** `svc:<slug>`, `role:<role name>`, `ext:<type>:<target>` or `ext-group:<type>`. */
  id: string;
  kind: MapNodeKind;
  label: string;
  /** The owning team (services only); the map groups by it. */
  team: { slug: string; name: string } | null;
  serviceSlug?: string;
  /** The App Insights role name the node stands for (services and unknown roles). */
  role?: string;
  dependencyType?: string;
  target?: string;
  /** How many targets an `external-group` node stands for. */
  targetCount?: number;
  /** Worst health among the service's snapshots in scope; null when it has none (or is not a service). */
  health: HealthState | null;
}

export interface MapEdge {
  /** `<source id>-><target id>`. */
  id: string;
  source: string;
  target: string;
  calls: number;
  failedCalls: number;
  failurePct: number | null;
  /** Average duration weighted by calls. */
  avgMs: number | null;
  /** The highest p95 of the workspaces and rows merged into the edge (an upper bound when more than one). */
  p95Ms: number | null;
  /** Service → service: whether the caller's catalog entry declares the callee; `not-applicable` otherwise. */
  declaration: "declared" | "undeclared" | "not-applicable";
  selfCall: boolean;
  /** Some of its figures come from a workspace whose last fetch failed or is old. */
  stale: boolean;
  /**
   * Its calls in the last few minutes before the latest fetch (decision 0053), from the 1-hour window's rows fetched
   * every cycle; absent when no current row counted them (a stale workspace, rows stored before the query did).
   */
  recent?: RecentCalls;
}

export interface RecentCalls {
  minutes: number;
  calls: number;
  failedCalls: number;
  failurePct: number | null;
  /** How many unsampled calls the sampled recent rows are worth as evidence (sampledEffectiveCount); absent in maps stored before. */
  effectiveCalls?: number;
}

export interface DeclaredNotSeen {
  from: string;
  to: string;
}

export interface MapSource {
  workspace: string;
  /** When this window's edges were last fetched from the workspace. */
  fetchedAt: string | null;
  error: string | null;
}

export interface AppMap {
  window: MapWindow;
  /** null: fleet-wide. */
  environment: string | null;
  nodes: MapNode[];
  edges: MapEdge[];
  /** Declared service dependencies not observed in the last 7 days. */
  notSeen: DeclaredNotSeen[];
  sources: MapSource[];
}

export interface Position {
  x: number;
  y: number;
}
