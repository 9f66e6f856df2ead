// The worker inside a web process (instrumentation.ts). A worker that cannot
// start is logged and leaves the web app serving; pages that enqueue still
// work, and another process (or the next restart) runs the jobs.
import { getConfig } from "@/lib/config";
import { logger } from "@/lib/logger";
import { startWorker } from "@/lib/jobs/worker";
import { jobDefinitions } from "@/lib/worker/job-registry";
import { catchUpAtStart } from "@/lib/worker/catch-up";

export async function startWorkerInWebProcess(): Promise<void> {
  if (!getConfig().jobs.workerInWeb) {
    logger.info("WHARF_WORKER=off: background jobs run in `npm run worker` processes, not here");
    return;
  }
  // Not awaited: the web server does not wait on PostgreSQL to start serving.
  startWorker({ definitions: jobDefinitions })
    .then(async (worker) => {
      // Best effort: Next exits soon after SIGTERM; a job it interrupts is picked up again once its heartbeat lapses.
      process.once("SIGTERM", () => void worker.stop().catch((error: unknown) => logger.error({ err: error }, "background job worker did not stop cleanly")));
      await catchUpAtStart();
    })
    .catch((error: unknown) => logger.error({ err: error }, "background job worker did not start; the web app runs without it"));
}
