// The `map.rebuild` job: the application map's snapshots rebuilt from the
// edge rows already stored and the catalog as it is now, without asking Log
// Analytics. The catalog queues it when it changes what the map shows (a role
// linked to a service, a dependency declared), so /map shows the change within
// seconds instead of at the next health cycle. The queue holds one job at a
// time, so a burst of catalog changes is one rebuild. It takes the health
// cycle's lock, waiting for a running cycle: that cycle may have read the
// catalog before the change, and its snapshot must not be the last word.
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { refreshAppMap } from "@/lib/appmap/refresh-map";
import { withCycleLock } from "@/lib/telemetry/health-poll-job";

export const mapRebuildData = z.object({});

/** How long to wait for a running health cycle before giving the job back for a retry. */
const lockWaitMs = 120_000;

export async function rebuildAppMap(options: { signal?: AbortSignal; waitMs?: number } = {}): Promise<{ snapshots: number } | "busy"> {
  const deadline = Date.now() + (options.waitMs ?? lockWaitMs);
  const cycleSeconds = getConfig().health.pollSeconds;
  for (;;) {
    const summary = await withCycleLock(() => refreshAppMap({ polled: new Map(), now: new Date(), cycleSeconds }));
    if (summary) return { snapshots: summary.snapshots };
    if (Date.now() >= deadline || options.signal?.aborted) return "busy";
    await sleep(1_000, undefined, options.signal ? { signal: options.signal } : undefined).catch(() => undefined);
  }
}

export const mapRebuildJob: JobDefinition<z.infer<typeof mapRebuildData>> = {
  schema: mapRebuildData,
  async run(_data, { log, signal }) {
    const outcome = await rebuildAppMap({ signal });
    // A cycle that held the lock this long rebuilds the map itself, with the catalog as it is by then.
    if (outcome === "busy") log.warn("map rebuild skipped: a health cycle held its lock for two minutes and rebuilds the map itself");
    else log.info(outcome, "application map rebuilt after a catalog change");
  },
  retryForSeconds: 60,
  concurrency: 1,
};
