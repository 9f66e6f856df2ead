// The `health.poll` job: one health cycle (lib/health/poll-health.ts) every
// WHARF_HEALTH_POLL_SECONDS. pg-boss cron fires at most once a minute, so the
// cron entry (lib/jobs/queues.ts) starts a cycle each minute, and for shorter
// cycles each job enqueues the next one with a start delay. The next job's
// singleton key is its time slot (floor(time / cycle)), so however many jobs
// and workers there are, one job per slot is queued; a session advisory lock
// held for the whole cycle keeps cycles from overlapping when one overruns.
import pg from "pg";
import { databaseConnection } from "@/lib/azure/database-connection";
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { enqueue } from "@/lib/jobs/enqueue";
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { pollHealth, type PollHealthSummary } from "@/lib/telemetry/poll-health";

export const healthPollQueue = "health.poll";

export const healthPollData = z.object({});

/** Any whole number; the lock's key among Wharf's advisory locks (concurrency.ts hashes text keys into another range). */
const cycleLockKey = 0x77_68_70; // "whp"

/** Runs `fn` holding the cycle lock, or returns undefined at once when another cycle holds it. */
export async function withCycleLock<T>(fn: () => Promise<T>): Promise<T | undefined> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set; the health cycle's lock lives in Wharf's PostgreSQL.");
  const client = new pg.Client({ ...databaseConnection(connectionString), application_name: "wharf-health-lock" });
  client.on("error", () => {
    // A broken connection frees the lock; the cycle's own queries report their errors.
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ taken: boolean }>("SELECT pg_try_advisory_lock($1::int, 0) AS taken", [cycleLockKey]);
    if (!rows[0]?.taken) return undefined;
    return await fn();
  } finally {
    // Closing the session releases the lock.
    await client.end().catch(() => undefined);
  }
}

/** The next cycle's slot and how long until it starts. */
export function nextCycle(now: number, pollSeconds: number): { slot: number; startAfterSeconds: number } {
  const cycleMs = pollSeconds * 1000;
  const slot = Math.floor(now / cycleMs) + 1;
  return { slot, startAfterSeconds: Math.max(1, Math.ceil((slot * cycleMs - now) / 1000)) };
}

export async function scheduleNextCycle(pollSeconds: number, now = Date.now()): Promise<string | null> {
  const { slot, startAfterSeconds } = nextCycle(now, pollSeconds);
  return enqueue(healthPollQueue, {}, { singletonKey: `cycle-${pollSeconds}-${slot}`, startAfterSeconds });
}

export const healthPollJob: JobDefinition<z.infer<typeof healthPollData>> = {
  schema: healthPollData,
  async run(_data, { log }) {
    const config = getConfig();
    try {
      const summary: PollHealthSummary | undefined = await withCycleLock(() => pollHealth({ config }));
      if (!summary) log.debug("health cycle skipped: another one is running");
      else log.info(summary, "health cycle done");
    } finally {
      // The chain goes on after a failed cycle too; the cron entry restarts it if it ever breaks.
      if (config.health.pollSeconds < 60) await scheduleNextCycle(config.health.pollSeconds);
    }
  },
  // A cycle that failed is not worth retrying after the next one has started.
  retryForSeconds: 30,
  concurrency: 1,
};
