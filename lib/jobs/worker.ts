// Runs the queues' handlers in this process: inside the web server by default
// (instrumentation.ts) or on its own (`npm run worker`); any number of either
// share the work through pg-boss.
import type { JobWithMetadata } from "pg-boss";
import { logger } from "@/lib/logger";
import { startBoss, stopBoss, type JobTiming } from "@/lib/jobs/boss";
import type { JobDefinition, JobDefinitions } from "@/lib/jobs/job-definition";
import { queueNames, type QueueName } from "@/lib/jobs/queues";
import { runAttempt } from "@/lib/jobs/run-job";

export interface WorkerOptions {
  /**
   * The queues' definitions: lib/worker/job-registry.ts in the web process and `npm run worker`, a test's own
   * in tests. Passed in, not imported, so lib/jobs never depends on the areas whose jobs it runs.
   */
  definitions: Partial<JobDefinitions>;
  /** Only these queues (default: every queue that has a definition). */
  queues?: QueueName[];
  /** pg-boss schema (default WHARF_JOBS_SCHEMA); tests use one of their own. */
  schema?: string;
  /** Shorter heartbeats and delays for tests. */
  timing?: Partial<JobTiming>;
}

export interface RunningWorker {
  /** Waits for running jobs up to the stop timeout, releases the rest to other workers, then stops pg-boss in this process. */
  stop(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { definitions } = options;
  const queues = options.queues ?? queueNames.filter((queue) => definitions[queue]);
  const missing = queues.filter((queue) => !definitions[queue]);
  if (missing.length > 0) throw new Error(`No job definition for queue ${missing.join(", ")}: add it to lib/worker/job-registry.ts`);
  const { boss, settings } = await startBoss({ schema: options.schema, timing: options.timing });
  const log = logger.child({ component: "jobs" });
  for (const queue of queues) {
    const definition = definitions[queue] as JobDefinition<unknown>;
    await boss.work(
      queue,
      {
        batchSize: 1,
        localConcurrency: definition.concurrency ?? 1,
        includeMetadata: true,
        perJobResults: true,
        pollingIntervalSeconds: settings.timing.pollingIntervalSeconds,
        // NOTIFY wakes workers for new jobs only; retries and delayed jobs are found by polling, so it keeps its pace.
        notifyPollingIntervalSeconds: settings.timing.pollingIntervalSeconds,
      },
      async (jobs: JobWithMetadata<unknown>[]) =>
        Promise.all(
          jobs.map((job) =>
            runAttempt(queue, definition, job, {
              db: boss.getDb(),
              schema: settings.schema,
              backoff: settings.timing.backoff,
              rescueDelaySeconds: settings.timing.rescueDelaySeconds,
              log,
            }),
          ),
        ),
    );
  }
  log.info({ queues, schema: settings.schema }, "background job worker started");
  return {
    async stop() {
      await stopBoss();
      log.info("background job worker stopped");
    },
  };
}
