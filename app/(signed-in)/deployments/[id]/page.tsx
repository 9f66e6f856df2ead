import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeploymentLive } from "@/components/deployments/deployment-live";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getDeployment } from "@/lib/deployments/list-deployments";
import { findRollbackTarget } from "@/lib/deployments/rollback-target";

export const metadata: Metadata = { title: "Deployment" };

export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("deployment:read");
  const deployment = await getDeployment({ actor, id: (await params).id }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const resource = { teamId: deployment.team.id };
  const member = can(actor, "deployment:cancel", resource);
  return (
    <DeploymentLive
      initial={deployment}
      permissions={{
        member,
        approver: can(actor, "deployment:approve", resource) && deployment.requestedBy.id !== actor.userId,
        logs: can(actor, "deployment:logs", resource),
      }}
      rollbackTarget={member ? await findRollbackTarget({ actor, deployment }) : null}
    />
  );
}
