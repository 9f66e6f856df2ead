// Next.js calls register() once when a server process starts. Wharf runs its
// background job worker here, inside the web process, unless WHARF_WORKER=off
// (then `npm run worker` processes do the work). Jobs that fail to start are
// logged and leave the web app serving.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { getConfig } = await import("./lib/config");
  if (!getConfig().jobs.workerInWeb) return;
  const { logger } = await import("./lib/logger");
  const { startWorker } = await import("./lib/jobs/worker");
  startWorker()
    .then((worker) => {
      // Best effort: Next exits soon after SIGTERM; a job it interrupts is picked up again after its heartbeat lapses.
      process.once("SIGTERM", () => void worker.stop().catch((error: unknown) => logger.error({ err: error }, "background job worker did not stop cleanly")));
    })
    .catch((error: unknown) => logger.error({ err: error }, "background job worker did not start; the web app runs without it"));
}
