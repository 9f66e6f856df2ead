// What a screen draws: the board's tiles and, per tile, its data with the
// time the data is from (`asOf`) and when it counts as stale. Types only;
// read by get-board-snapshot.ts, drawn by components/boards/kiosk.tsx.
import type { HealthCounts } from "@/lib/health/health-view";
import type { HealthState } from "@/lib/health/types";
import type { Tile } from "./tiles";

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
  }[];
}

export interface RolloutRow {
  id: string;
  service: string;
  namespace: string;
  environment: string;
  tag: string | null;
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

export interface ClockData extends TileDataBase {
  kind: "clock";
}

export type TileData = FleetHealthData | ServiceHealthData | RolloutsData | ApprovalsData | ClockData;

export interface BoardSnapshot {
  board: { id: string; slug: string; name: string; team: string | null; tiles: Tile[] };
  tiles: Record<string, TileData>;
  generatedAt: string;
  pollSeconds: number;
}

export interface DisplaySnapshot extends BoardSnapshot {
  display: { label: string; expiresAt: string };
  /** The build of Wharf that answered: a screen that sees it change reloads itself. */
  version: string;
}
