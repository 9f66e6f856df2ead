// The production gate's other answer: a second person (another member of the
// team, or a platform admin) rejects a deployment waiting for approval, with
// a reason the requester reads in their notifications. Nothing was applied,
// so nothing is undone; exactly one decision counts (approve or reject).
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { notifyUser, settleAsks } from "@/lib/notifications/notify";
import { approvalsChanged } from "@/lib/notifications/approvals-changed";
import { parseInput } from "@/lib/validation";
import { findDeploymentOr404 } from "./approve-deployment";
import { deploymentInclude, toDeploymentView, type DeploymentView } from "./deployment-view";
import { publishDeploymentChange } from "./rollout-slot";
import { rejectDeploymentInput } from "./reject-input";

export async function rejectDeployment({ actor, deploymentId, input }: { actor: Actor; deploymentId: string; input: unknown }): Promise<DeploymentView> {
  const prisma = getPrisma();
  const { reason } = parseInput(rejectDeploymentInput, input);
  const deployment = await findDeploymentOr404(deploymentId);
  const audit = { actor, action: "deployment.reject", resourceType: "deployment", resourceId: deployment.id } as const;
  if (!can(actor, "deployment:approve", { teamId: deployment.teamId })) {
    await recordAuditEvent(prisma, { ...audit, outcome: "denied" });
    throw forbidden("deployment:approve");
  }
  if (actor.kind === "user" && deployment.requestedById === actor.userId) {
    await recordAuditEvent(prisma, { ...audit, outcome: "denied", detail: "own request" });
    throw new AppError("forbidden", "You requested this deployment; to take it back, cancel it. Rejecting is for the person asked to approve it.");
  }
  const row = await prisma.$transaction(async (tx) => {
    const { count } = await tx.deployment.updateMany({
      where: { id: deployment.id, status: "awaiting-approval" },
      data: {
        status: "rejected",
        reason: "Rejected",
        message: `Rejected by ${actor.name}: ${reason}`,
        rejectedById: actor.kind === "user" ? actor.userId : null,
        rejectedByName: actor.name,
        rejectedAt: new Date(),
        rejectionReason: reason,
        finishedAt: new Date(),
      },
    });
    if (count === 0) {
      const current = await tx.deployment.findUniqueOrThrow({ where: { id: deployment.id } });
      const by = current.approvedByName ?? current.rejectedByName ?? current.cancelledByName;
      throw new AppError("conflict", `This deployment is ${current.status}${by ? ` by ${by}` : ""}, not waiting for approval; nothing was changed.`);
    }
    await recordAuditEvent(tx, { ...audit, outcome: "success", before: { status: "awaiting-approval" }, after: { status: "rejected", reason } });
    await settleAsks(tx, `/deployments/${deployment.id}`);
    if (deployment.requestedById) {
      await notifyUser(tx, deployment.requestedById, {
        message: `${actor.name} rejected ${deployment.service.slug} revision ${deployment.revision} to ${deployment.namespace.name}: ${reason}`,
        link: `/deployments/${deployment.id}`,
      });
    }
    await approvalsChanged(tx);
    return tx.deployment.findUniqueOrThrow({ where: { id: deployment.id }, include: deploymentInclude });
  });
  await publishDeploymentChange(row.id);
  return toDeploymentView(row);
}
