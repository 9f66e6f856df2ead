// The `cost.sample` job. The cron entry (lib/jobs/queues.ts) fires every
// minute; a sample is taken when the last one is WHARF_COST_SAMPLE_MINUTES
// old (lib/costs/sample-resource-hours.ts claims it), so the interval is
// configuration, not cron, and many workers take one sample per interval.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { sampleResourceHours } from "@/lib/costs/sample-resource-hours";
import { refreshStaleCostAllocation } from "@/lib/costs/stale-cost-allocation";

export const costSampleData = z.object({});

export const costSampleJob: JobDefinition<z.infer<typeof costSampleData>> = {
  schema: costSampleData,
  async run(_data, { log }) {
    const summary = await sampleResourceHours({ intervalMinutes: getConfig().costs.sampleMinutes });
    if (summary.sampled) log.info(summary, "resource-hours sampled");
    // Months an input changed outside a sync or sample (decision 0042), re-allocated within the minute.
    const stale = await refreshStaleCostAllocation();
    if (stale.months.length > 0) log.info(stale, "stale cost allocation re-made");
  },
  // A missed sample is a missed interval; the next minute's run claims the next one. No long retries.
  retryForSeconds: 60,
  concurrency: 1,
};
