// Cancel a deployment. One that has not been applied (waiting for approval,
// or queued) just ends. One that is rolling out ends as cancelled and the
// previous successful revision is applied again, as a new audited rollback;
// with no earlier success, Wharf removes the Deployment and Service it
// applied, so nothing half-rolled-out keeps running.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { deleteObject } from "@/lib/kubernetes/apply";
import { logger } from "@/lib/logger";
import { approvalsChanged } from "@/lib/notifications/approvals-changed";
import { settleAsks } from "@/lib/notifications/notify";
import { findDeploymentOr404 } from "./approve-deployment";
import { deploymentInclude, toDeploymentView, type DeploymentView } from "./deployment-view";
import type { RenderedManifest } from "./render";
import { insertRollback } from "./rollback-deployment";
import { enqueueRollout, lockRolloutSlot, promoteQueued, publishDeploymentChange } from "./rollout-slot";

export interface Cancellation {
  cancelled: DeploymentView;
  /** The rollback it started, when it had been applied and an earlier revision succeeded. */
  rollback: DeploymentView | null;
}

export async function cancelDeployment({ actor, deploymentId }: { actor: Actor; deploymentId: string }): Promise<Cancellation> {
  const prisma = getPrisma();
  const deployment = await findDeploymentOr404(deploymentId);
  if (!can(actor, "deployment:cancel", { teamId: deployment.teamId })) {
    await recordAuditEvent(prisma, { actor, action: "deployment.cancel", resourceType: "deployment", resourceId: deployment.id, outcome: "denied" });
    throw forbidden("deployment:cancel");
  }
  const result = await prisma.$transaction(async (tx) => {
    await lockRolloutSlot(tx, deployment.serviceId, deployment.namespaceId);
    const current = await tx.deployment.findUniqueOrThrow({ where: { id: deployment.id } });
    if (["succeeded", "failed", "cancelled"].includes(current.status)) {
      throw new AppError(
        "conflict",
        `This deployment already ended (${current.status}${current.cancelledByName ? ` by ${current.cancelledByName}` : ""}); ` +
          "to go back to an earlier revision, roll back to it from the history.",
      );
    }
    const applied = current.status === "applying" || current.status === "progressing";
    const previous = applied
      ? await tx.deployment.findFirst({
          where: { serviceId: current.serviceId, namespaceId: current.namespaceId, status: "succeeded", revision: { lt: current.revision } },
          orderBy: { revision: "desc" },
        })
      : null;
    const message = !applied
      ? `Cancelled by ${actor.name} before it was applied.`
      : previous
        ? `Cancelled by ${actor.name}; rolling back to revision ${previous.revision} (${previous.image}).`
        : `Cancelled by ${actor.name}; no earlier revision succeeded here, so Wharf removes the Deployment and Service it applied.`;
    await tx.deployment.update({
      where: { id: current.id },
      data: { status: "cancelled", reason: "Cancelled", message, cancelledByName: actor.name, finishedAt: new Date() },
    });
    const rollback = previous
      ? await insertRollback(tx, {
          source: previous,
          actor,
          status: "applying",
          why: "Cancel and roll back",
          message: `Rolling back to revision ${previous.revision} after revision ${current.revision} was cancelled`,
        })
      : null;
    await recordAuditEvent(tx, {
      actor,
      action: "deployment.cancel",
      resourceType: "deployment",
      resourceId: current.id,
      outcome: "success",
      before: { status: current.status },
      after: { status: "cancelled", rollbackId: rollback?.id ?? null, toRevision: previous?.revision ?? null },
    });
    if (current.status === "awaiting-approval") {
      await settleAsks(tx, `/deployments/${current.id}`);
      await approvalsChanged(tx);
    }
    const next = rollback || !applied ? null : await promoteQueued(tx, current.serviceId, current.namespaceId);
    return { rollback, next, removeApplied: applied && !previous };
  });
  if (result.removeApplied) await removeApplied(deployment);
  if (result.rollback) await enqueueRollout(result.rollback.id);
  if (result.next) await enqueueRollout(result.next);
  await publishDeploymentChange(deployment.id);
  const cancelled = await prisma.deployment.findUniqueOrThrow({ where: { id: deployment.id }, include: deploymentInclude });
  return { cancelled: toDeploymentView(cancelled), rollback: result.rollback ? toDeploymentView(result.rollback) : null };
}

async function removeApplied(deployment: Awaited<ReturnType<typeof findDeploymentOr404>>): Promise<void> {
  const namespace = await getPrisma().namespace.findUniqueOrThrow({ where: { id: deployment.namespaceId }, include: { cluster: true } });
  const manifest = deployment.manifest as unknown as RenderedManifest;
  try {
    const config = await clusterKubeConfig(namespace.cluster);
    await deleteObject(config, manifest.deployment);
    await deleteObject(config, manifest.service);
  } catch (error) {
    logger.warn({ err: error, deploymentId: deployment.id }, "could not remove a cancelled first deployment");
    const said = error instanceof Error ? error.message : String(error);
    await getPrisma().deployment.update({
      where: { id: deployment.id },
      data: { message: `Cancelled; Wharf could not remove the Deployment and Service it applied (${said}). Delete them with kubectl, or deploy a good tag.` },
    });
  }
}
