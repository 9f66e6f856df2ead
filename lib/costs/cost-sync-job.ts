// The `cost.sync` job. The cron entry (lib/jobs/queues.ts) fires every hour;
// each scope syncs when its last sync is WHARF_COST_SYNC_HOURS old, so the
// interval is configuration, not cron. `force` (an admin's "sync now") syncs
// every scope that Cost Management is not throttling.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { syncCosts } from "@/lib/costs/sync-costs";
import { backfillCostAllocation } from "@/lib/costs/cost-allocation";

export const costSyncData = z.object({ force: z.boolean().optional() });

export const costSyncJob: JobDefinition<z.infer<typeof costSyncData>> = {
  schema: costSyncData,
  async run(data, { log, signal }) {
    // Once, after the upgrade that added the stored allocation: the days already synced (decision 0035).
    if (await backfillCostAllocation()) log.info("cost allocation stored for the days already synced");
    const summary = await syncCosts({ config: getConfig(), force: data.force ?? false, signal });
    // A failed scope is recorded in CostSyncState and shown; it does not fail the job (the other scopes synced).
    log.info(summary, "cost sync done");
  },
  // A sync that failed (the database) is worth a few retries; the next hour's run follows anyway.
  retryForSeconds: 30 * 60,
  concurrency: 1,
};
