// Next.js calls register() once when a server process starts. Wharf runs its
// background job worker here, inside the web process, unless WHARF_WORKER=off
// (then `npm run worker` processes do the work). The Node.js-only part is a
// separate module so the Edge build of this file never sees it.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { startWorkerInWebProcess } = await import("./lib/worker/start-in-web");
    await startWorkerInWebProcess();
  }
}
