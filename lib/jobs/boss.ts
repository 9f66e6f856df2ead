// The process's one pg-boss instance, on the same PostgreSQL as everything
// else, in its own schema. Starting it creates the schema, the queues and the
// schedules idempotently; pg-boss serialises that with advisory locks, so any
// number of web and worker processes may start at once.
import { PgBoss } from "pg-boss";
import { databaseConnection } from "@/lib/azure/database-connection";
import { getConfig } from "@/lib/config";
import { logger } from "@/lib/logger";
import { defaultBackoff, type Backoff } from "@/lib/jobs/retry-policy";
import { queueNames, queueSettings, schedules } from "@/lib/jobs/queues";

export interface JobTiming {
  /**
   * A running job's worker proves it is alive this often (pg-boss minimum 10).
   * A job whose worker died (SIGKILL, OOM, node lost) is taken back after
   * about this long plus `monitorIntervalSeconds`.
   */
  heartbeatSeconds: number;
  /** How often a process looks for jobs whose worker died or overran. */
  monitorIntervalSeconds: number;
  /** How often an idle worker asks for new jobs. */
  pollingIntervalSeconds: number;
  /** Wait before a job released by a stopping or dead worker runs again. */
  rescueDelaySeconds: number;
  backoff: Backoff;
  /** A stopping worker waits this long for running jobs, then releases them to other workers. */
  stopTimeoutSeconds: number;
}

export const defaultTiming: JobTiming = {
  heartbeatSeconds: 30,
  monitorIntervalSeconds: 30,
  pollingIntervalSeconds: 2,
  rescueDelaySeconds: 5,
  backoff: defaultBackoff,
  // Below Kubernetes' default 30 s terminationGracePeriodSeconds.
  stopTimeoutSeconds: 20,
};

/** Retries are bounded by each job's retryForSeconds; this only stops a job that crashes its worker forever. */
const retryLimit = 500;

export interface BossSettings {
  schema: string;
  timing: JobTiming;
}

interface Running {
  boss: PgBoss;
  settings: BossSettings;
}

// Next dev re-evaluates modules on edits; one instance per process, not per evaluation.
const state = globalThis as typeof globalThis & { wharfBoss?: Promise<Running>; wharfJobsSchema?: string };

/**
 * The started pg-boss of this process. The first call decides its settings
 * (tests shorten the timing); later calls get the same instance.
 */
export async function startBoss(overrides: { schema?: string; timing?: Partial<JobTiming> } = {}): Promise<Running> {
  if (state.wharfBoss) {
    const running = await state.wharfBoss;
    if (overrides.schema && overrides.schema !== running.settings.schema) {
      throw new Error(`pg-boss already runs in schema ${running.settings.schema} in this process; stop it before starting one in ${overrides.schema}.`);
    }
    return running;
  }
  const settings: BossSettings = { schema: overrides.schema ?? getConfig().jobs.schema, timing: { ...defaultTiming, ...overrides.timing } };
  state.wharfJobsSchema = settings.schema;
  state.wharfBoss = start(settings);
  try {
    return await state.wharfBoss;
  } catch (error) {
    state.wharfBoss = undefined;
    throw error;
  }
}

export async function getBoss(): Promise<PgBoss> {
  return (await startBoss()).boss;
}

/** The schema pg-boss uses (or last used) in this process, for the SQL that reads its job table. */
export async function jobsSchema(): Promise<string> {
  return state.wharfJobsSchema ?? getConfig().jobs.schema;
}

/** Stops pg-boss in this process: waits for running jobs up to the stop timeout, then releases them. */
export async function stopBoss(): Promise<void> {
  const running = state.wharfBoss;
  if (!running) return;
  state.wharfBoss = undefined;
  const { boss, settings } = await running;
  await boss.stop({ graceful: true, timeout: settings.timing.stopTimeoutSeconds * 1000 });
}

async function start(settings: BossSettings): Promise<Running> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) {
    throw new Error("DATABASE_URL is not set. Background jobs need the PostgreSQL Wharf uses: start Wharf with `npm start`, or set DATABASE_URL.");
  }
  const { timing } = settings;
  const boss = new PgBoss({
    ...databaseConnection(connectionString),
    schema: settings.schema,
    application_name: "wharf-jobs",
    max: 8,
    superviseIntervalSeconds: timing.monitorIntervalSeconds,
    monitorIntervalSeconds: timing.monitorIntervalSeconds,
    instanceName: "wharf",
    // A new job wakes idle workers in every process at once (LISTEN/NOTIFY on one
    // dedicated connection); polling stays as the fallback. Approval to ready
    // would otherwise wait up to a polling interval.
    useListenNotify: true,
  });
  boss.on("error", (error) => logger.error({ err: error }, "background jobs: pg-boss reported an error"));
  boss.on("warning", (warning) => logger.warn({ warning }, `background jobs: ${warning.message}`));
  await boss.start({ attempts: 5 });
  for (const queue of queueNames) {
    const options = {
      retryLimit,
      retryDelay: timing.rescueDelaySeconds,
      retryBackoff: false,
      expireInSeconds: queueSettings[queue].timeoutSeconds,
      heartbeatSeconds: timing.heartbeatSeconds,
      notify: true,
    };
    await boss.createQueue(queue, { ...options, policy: "exclusive" });
    // createQueue leaves an existing queue as it was; this brings its settings up to date.
    await boss.updateQueue(queue, options);
  }
  for (const schedule of schedules) await boss.schedule(schedule.queue, schedule.cron, schedule.data, { tz: "UTC" });
  return { boss, settings };
}
