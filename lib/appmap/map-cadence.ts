// How often each map window is fetched from a workspace. The 1-hour edges
// ride in every health $batch (the request is sent anyway); the 24-hour and
// 7-day edges change slowly and scan far more data, so they are added to that
// batch only when due: every 15 minutes and every 3 hours. Each workspace's
// due time is shifted by up to a tenth of the interval, from a hash of its id,
// so a fleet of workspaces does not send its long scans in the same cycle.
// Requests per cycle stay one per workspace whatever is due.
import { createHash } from "node:crypto";
import type { MapWindow } from "@/lib/health/queries";

export const mapWindowIntervalsMs: Record<MapWindow, number> = {
  "1h": 0,
  "24h": 15 * 60_000,
  "7d": 3 * 60 * 60_000,
};

/** A fixed fraction in [0, 1) per workspace. */
function spread(workspaceId: string): number {
  return createHash("sha256").update(workspaceId).digest().readUInt32BE(0) / 2 ** 32;
}

/** The windows to fetch from a workspace this cycle, given when each was last fetched successfully. */
export function mapWindowsDue(workspaceId: string, lastFetched: Partial<Record<MapWindow, Date>>, now: Date): MapWindow[] {
  return (Object.keys(mapWindowIntervalsMs) as MapWindow[]).filter((window) => {
    const interval = mapWindowIntervalsMs[window];
    const last = lastFetched[window];
    if (interval === 0 || !last) return true;
    return now.getTime() - last.getTime() >= interval * (0.9 + 0.1 * spread(workspaceId));
  });
}
