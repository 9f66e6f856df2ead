// `npm run worker`: background jobs without the web server. Run as many as
// the work needs, beside web replicas that run jobs too (or not, with
// WHARF_WORKER=off). On SIGTERM or SIGINT it finishes running jobs for up to
// the stop timeout and releases the rest to other workers.
import { ConfigError, getConfig } from "../lib/config";
import { logger } from "../lib/logger";
import { startWorker, type RunningWorker } from "../lib/jobs/worker";
import { jobDefinitions } from "../lib/worker/job-registry";
import { catchUpAtStart } from "../lib/worker/catch-up";
import { closeConcurrencyPool } from "../lib/jobs/concurrency";
import { getPrisma } from "../lib/db/client";
import { createServer, type Server } from "node:http";

let worker: RunningWorker | undefined;
let health: Server | undefined;
let stopping = false;

/**
 * With WHARF_WORKER_HEALTH_PORT (on Kubernetes), the worker answers its probes
 * as the web does: /api/healthz (the process answers) and /api/readyz (its
 * database answers; 503 otherwise, and while it stops).
 */
function serveHealth(port: number): Server {
  const server = createServer((request, response) => {
    const answer = (status: number, body: object) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (request.url === "/api/healthz") return answer(200, { status: "ok" });
    if (request.url !== "/api/readyz") return answer(404, { status: "not found" });
    if (stopping) return answer(503, { status: "stopping" });
    getPrisma().$queryRaw`SELECT 1`
      .then(() => answer(200, { status: "ready" }))
      .catch((error: unknown) => answer(503, { status: "not ready", detail: error instanceof Error ? error.message.split("\n")[0] : String(error) }));
  });
  server.listen(port);
  return server;
}

async function stop(signal: NodeJS.Signals): Promise<void> {
  if (stopping) {
    logger.warn(`${signal} again: exiting now; running jobs are picked up again after their heartbeat lapses`);
    process.exit(1);
  }
  stopping = true;
  logger.info(`${signal}: finishing running jobs`);
  try {
    await worker?.stop();
    health?.close();
    await closeConcurrencyPool();
    await getPrisma().$disconnect();
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, "background job worker did not stop cleanly");
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = getConfig();
  if (!process.env.DATABASE_URL) {
    throw new ConfigError(
      "Configuration error: DATABASE_URL must be set for `npm run worker`: the worker " +
        "shares the web app's PostgreSQL (in sandbox mode, the URL `npm start` uses).",
    );
  }
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  worker = await startWorker({ definitions: jobDefinitions });
  // A new install discovers its clusters and syncs its cost now, not at the next scheduled slot.
  await catchUpAtStart();
  const healthPort = Number(process.env.WHARF_WORKER_HEALTH_PORT ?? 0);
  if (healthPort > 0) health = serveHealth(healthPort);
  logger.info({ mode: config.mode, schema: config.jobs.schema }, "npm run worker: running background jobs until SIGTERM or SIGINT");
}

main().catch((error: unknown) => {
  process.stderr.write(`[wharf] the worker cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
