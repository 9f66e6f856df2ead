// Hourly (see `schedules` in queues.ts): discover AKS clusters through ARM and
// probe each one, as the admin's "Discover clusters now" button does.
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import type { SystemActor } from "@/lib/auth/permissions";
import { RetryableJobError } from "@/lib/jobs/errors";
import { queueDataSchemas } from "@/lib/jobs/queues";
import type { JobDefinition } from "@/lib/jobs/job-definition";

export const scheduler: SystemActor = { kind: "system", name: "Wharf scheduler" };

export const discoverClustersJob: JobDefinition<Record<string, never>> = {
  schema: queueDataSchemas["cluster.discover"],
  async run(_data, { log }) {
    const result = await refreshClusters({ actor: scheduler });
    log.info({ found: result.found, reachable: result.reachable, failures: result.failures.length }, "cluster discovery done");
    // Clusters that answered are already stored; a subscription ARM could not list is worth another try.
    if (result.failures.length > 0) {
      throw new RetryableJobError(
        `ARM could not list ${result.failures.map((failure) => `subscription ${failure.subscriptionId} (${failure.message})`).join("; ")}`,
      );
    }
  },
  // Less than the hour between runs, so a failing discovery never overlaps the next one.
  retryForSeconds: 45 * 60,
  concurrency: 1,
};
