// Asks the worker to rebuild the application map now (lib/telemetry/map-rebuild-job.ts),
// after a catalog change the map shows. Called after the change has committed;
// if the queue cannot take the job, the next health cycle rebuilds the map
// anyway, so the change is logged and not failed.
import { enqueue } from "@/lib/jobs/enqueue";
import { logger } from "@/lib/logger";

export async function requestMapRebuild(reason: string): Promise<void> {
  try {
    await enqueue("map.rebuild", {});
  } catch (error) {
    logger.warn({ err: error, reason }, "could not queue a map rebuild; the next health cycle rebuilds the map");
  }
}
