// The production gate: a second person (another member of the team, or a
// platform admin) approves a deployment before Wharf applies it. The
// requester never approves their own; exactly one approval counts.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notifyUser, settleAsks } from "@/lib/notifications/notify";
import { approvalsChanged } from "@/lib/notifications/approvals-changed";
import { deploymentInclude, toDeploymentView, type DeploymentView } from "./deployment-view";
import { busyDeployment, enqueueRollout, lockRolloutSlot, publishDeploymentChange } from "./rollout-slot";

export async function findDeploymentOr404(id: string) {
  const row = z.uuid().safeParse(id).success ? await getPrisma().deployment.findUnique({ where: { id }, include: deploymentInclude }) : null;
  if (!row) throw new AppError("not_found", "There is no such deployment.");
  return row;
}

export async function approveDeployment({ actor, deploymentId }: { actor: Actor; deploymentId: string }): Promise<DeploymentView> {
  const prisma = getPrisma();
  const deployment = await findDeploymentOr404(deploymentId);
  const audit = { actor, action: "deployment.approve", resourceType: "deployment", resourceId: deployment.id } as const;
  if (!can(actor, "deployment:approve", { teamId: deployment.teamId })) {
    await recordAuditEvent(prisma, { ...audit, outcome: "denied" });
    throw forbidden("deployment:approve");
  }
  if (actor.kind === "user" && deployment.requestedById === actor.userId) {
    await recordAuditEvent(prisma, { ...audit, outcome: "denied", detail: "self-approval" });
    throw new AppError(
      "forbidden",
      `You requested this deployment, so someone else must approve it: another member of ${deployment.team.name}, or a platform admin.`,
    );
  }
  const { row, start } = await prisma.$transaction(async (tx) => {
    await lockRolloutSlot(tx, deployment.serviceId, deployment.namespaceId);
    const busy = await busyDeployment(tx, deployment.serviceId, deployment.namespaceId);
    const status = busy ? "queued" : "applying";
    const { count } = await tx.deployment.updateMany({
      where: { id: deployment.id, status: "awaiting-approval" },
      data: {
        status,
        approvedById: actor.kind === "user" ? actor.userId : null,
        approvedByName: actor.name,
        approvedAt: new Date(),
        queuedAt: busy ? new Date() : null,
        message: busy ? `Approved; queued behind revision ${busy.revision}.` : "Approved; waiting for a worker to apply it",
      },
    });
    if (count === 0) {
      const current = await tx.deployment.findUniqueOrThrow({ where: { id: deployment.id } });
      const by = current.approvedByName ? ` by ${current.approvedByName}` : current.cancelledByName ? ` by ${current.cancelledByName}` : "";
      throw new AppError("conflict", `This deployment is ${current.status}${by}, not waiting for approval; nothing was changed.`);
    }
    await recordAuditEvent(tx, { ...audit, outcome: "success", before: { status: "awaiting-approval" }, after: { status } });
    await settleAsks(tx, `/deployments/${deployment.id}`);
    if (deployment.requestedById) {
      await notifyUser(tx, deployment.requestedById, {
        message: `${actor.name} approved ${deployment.service.slug} revision ${deployment.revision} to ${deployment.namespace.name}.`,
        link: `/deployments/${deployment.id}`,
      });
    }
    await approvalsChanged(tx);
    return { row: await tx.deployment.findUniqueOrThrow({ where: { id: deployment.id }, include: deploymentInclude }), start: status === "applying" };
  });
  if (start) await enqueueRollout(row.id);
  await publishDeploymentChange(row.id);
  return toDeploymentView(row);
}
