// One rollout per service and namespace at a time. Every change to who holds
// the slot happens in a transaction that first takes a transaction-scoped
// advisory lock on (service, namespace), so two requests, an approval and a
// finishing rollout never both start one.
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { logger } from "@/lib/logger";
import { changeChannel, publishChange, type Change } from "@/lib/changes/publish-change";
import { enqueue } from "@/lib/jobs/enqueue";
import { busyStatuses } from "./deployment-settings";

type Tx = Prisma.TransactionClient;

export async function lockRolloutSlot(tx: Tx, serviceId: string, namespaceId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`wharf:rollout:${serviceId}:${namespaceId}`}, 0))`;
}

/** The deployment that holds or waits for the slot, oldest first: the one a new request would wait behind. */
export async function busyDeployment(tx: Tx, serviceId: string, namespaceId: string): Promise<{ id: string; revision: number; status: string } | null> {
  return tx.deployment.findFirst({
    where: { serviceId, namespaceId, status: { in: [...busyStatuses] } },
    orderBy: { revision: "asc" },
    select: { id: true, revision: true, status: true },
  });
}

export async function nextRevision(tx: Tx, serviceId: string, namespaceId: string): Promise<number> {
  const last = await tx.deployment.aggregate({ where: { serviceId, namespaceId }, _max: { revision: true } });
  return (last._max.revision ?? 0) + 1;
}

/**
 * After a rollout ended (inside the transaction that ended it): the oldest
 * queued deployment takes the slot. Returns its id, to enqueue after commit.
 */
export async function promoteQueued(tx: Tx, serviceId: string, namespaceId: string): Promise<string | null> {
  await lockRolloutSlot(tx, serviceId, namespaceId);
  const running = await tx.deployment.count({ where: { serviceId, namespaceId, status: { in: ["applying", "progressing"] } } });
  if (running > 0) return null;
  const next = await tx.deployment.findFirst({ where: { serviceId, namespaceId, status: "queued" }, orderBy: { revision: "asc" }, select: { id: true } });
  if (!next) return null;
  await tx.deployment.update({ where: { id: next.id }, data: { status: "applying", message: "Waiting for a worker to apply it" } });
  return next.id;
}

/** Puts the rollout job on the queue; one job per deployment. */
export async function enqueueRollout(deploymentId: string): Promise<void> {
  await enqueue("deployment.rollout", { deploymentId }, { singletonKey: deploymentId }).catch((error: unknown) => {
    // The row says "applying"; the sweep (lib/deployments/resume-rollouts.ts) enqueues it again.
    logger.warn({ err: error, deploymentId }, "could not enqueue the rollout; the sweep will retry");
  });
}

/** What the cluster shows of a rollout in flight; counts are left as they are when the informer's view is stale. */
export interface RolloutProgress {
  message: string;
  pods: unknown;
  events: unknown;
  counts?: { desired: number; updated: number; ready: number; available: number };
}

/**
 * Records a rollout's progress and sends its change notice in one statement, so one round trip and one
 * commit (decision 0017): this runs on every change of 100 rollouts at once, where an update and a separate
 * NOTIFY (two commits, each waiting for its WAL flush) or a transaction (a pooled connection held across
 * event-loop turns) made the page wait. `updatedAt` is Wharf's clock, as Prisma's @updatedAt, so pages
 * compare it with the other writes'. False when the deployment is no longer progressing.
 */
export async function writeRolloutProgress(deploymentId: string, progress: RolloutProgress): Promise<boolean> {
  const counts = progress.counts;
  const notice = JSON.stringify({ kind: "deployment", id: deploymentId } satisfies Change);
  // The SELECT's row count: 1 when the row was updated (and the notice sent), 0 when it was not progressing.
  const updated = await getPrisma().$executeRaw`
    WITH updated AS (
      UPDATE "Deployment" SET
        "message" = ${progress.message},
        "pods" = ${JSON.stringify(progress.pods)}::jsonb,
        "events" = ${JSON.stringify(progress.events)}::jsonb,
        "desiredReplicas" = COALESCE(${counts?.desired ?? null}::integer, "desiredReplicas"),
        "updatedReplicas" = COALESCE(${counts?.updated ?? null}::integer, "updatedReplicas"),
        "readyReplicas" = COALESCE(${counts?.ready ?? null}::integer, "readyReplicas"),
        "availableReplicas" = COALESCE(${counts?.available ?? null}::integer, "availableReplicas"),
        "updatedAt" = ${new Date()}
      WHERE "id" = ${deploymentId}::uuid AND "status" = 'progressing'
      RETURNING "id"
    )
    SELECT pg_notify(${changeChannel}, ${notice}) FROM updated`;
  return updated > 0;
}

/** Tells live views a deployment changed (lib/changes); pages also poll, so a lost notice costs only a little delay. */
export async function publishDeploymentChange(deploymentId: string): Promise<void> {
  await publishChange({ kind: "deployment", id: deploymentId });
}
