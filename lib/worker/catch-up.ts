// What the hourly schedules would have done by now, asked for when a worker
// starts. A new install pointed at a real tenant would otherwise show no
// cluster until the next top of the hour and no cost until the next check
// at minute 17; a worker that was down past a run catches up the same way.
// Each job is sent only when it is due by what is stored, so a restart of a
// healthy install sends nothing. Workers starting at once send it once: the
// send is throttled to one per ten-minute slot, whether the first is still
// queued, running or done (a second worker may have read the state before
// the first's job stored its results).
import { getConfig, type WharfConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { enqueue } from "@/lib/jobs/enqueue";
import type { QueueName } from "@/lib/jobs/queues";
import { scopeIsDue } from "@/lib/costs/sync-plan";
import { scopeOf } from "@/lib/costs/sync-costs";
import { logger } from "@/lib/logger";

/** Cluster discovery's schedule is hourly: a discovery is due at start when no cluster was checked within it. */
export const discoveryCatchUpMs = 60 * 60_000;

/** One catch-up per queue per slot of this length, however many workers start in it. */
export const catchUpSlotSeconds = 10 * 60;

export interface CatchUpJob {
  queue: Extract<QueueName, "cluster.discover" | "cost.sync">;
  /** Why it is due, for the log. */
  reason: string;
}

/** The scheduled jobs due now by what is stored, without sending anything. */
export async function jobsDueAtStart(config: WharfConfig = getConfig(), now = new Date()): Promise<CatchUpJob[]> {
  const prisma = getPrisma();
  const due: CatchUpJob[] = [];
  const clusters = await prisma.cluster.count();
  const checked = await prisma.cluster.count({ where: { lastCheckedAt: { gte: new Date(now.getTime() - discoveryCatchUpMs) } } });
  if (clusters === 0) due.push({ queue: "cluster.discover", reason: "no cluster discovered yet" });
  else if (checked === 0) due.push({ queue: "cluster.discover", reason: "no cluster checked in the last hour" });

  const scopes = config.azure.subscriptionIds.map(scopeOf);
  const states = new Map((await prisma.costSyncState.findMany({ where: { scope: { in: scopes } } })).map((state) => [state.scope, state]));
  const dueScopes = scopes.filter((scope) => scopeIsDue(states.get(scope) ?? null, now, config.costs.syncHours, false));
  if (dueScopes.length > 0) {
    const never = dueScopes.filter((scope) => !states.get(scope)?.lastSyncedAt).length;
    due.push({
      queue: "cost.sync",
      reason: never === dueScopes.length ? `${never} subscription(s) never synced` : `${dueScopes.length} subscription(s) due for their cost sync`,
    });
  }
  return due;
}

/**
 * Sends the jobs due at start (cost.sync unforced: the job itself syncs only the scopes still due when it runs). A
 * database that does not answer is logged: the hourly schedules still run.
 */
export async function catchUpAtStart(config: WharfConfig = getConfig(), now = new Date()): Promise<CatchUpJob[]> {
  const log = logger.child({ component: "jobs" });
  try {
    const due = await jobsDueAtStart(config, now);
    for (const job of due) {
      const id = await enqueue(job.queue, {}, { singletonSeconds: catchUpSlotSeconds });
      log.info({ queue: job.queue, reason: job.reason, jobId: id }, id ? "scheduled job due at start: queued" : "scheduled job due at start: already queued");
    }
    return due;
  } catch (error) {
    log.warn({ err: error }, "could not check which scheduled jobs are due at start; they run at their next scheduled time");
    return [];
  }
}
