// One rollout per service and namespace at a time. Every change to who holds
// the slot happens in a transaction that first takes a transaction-scoped
// advisory lock on (service, namespace), so two requests, an approval and a
// finishing rollout never both start one.
import type { Prisma } from "@/lib/db/generated/client";
import { logger } from "@/lib/logger";
import { publishChange } from "@/lib/changes/publish-change";
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

/** Tells live views a deployment changed (lib/changes); pages also poll, so a lost notice costs only a little delay. */
export async function publishDeploymentChange(deploymentId: string): Promise<void> {
  await publishChange({ kind: "deployment", id: deploymentId });
}
