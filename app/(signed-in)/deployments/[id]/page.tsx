import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { DeploymentLive } from "@/components/deployments/deployment-live";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getDeployment } from "@/lib/deployments/list-deployments";

export const metadata: Metadata = { title: "Deployment" };

export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePermission("deployment:read");
  const deployment = await getDeployment({ actor, id: (await params).id }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const resource = { teamId: deployment.team.id };
  return (
    <DeploymentLive
      initial={deployment}
      permissions={{
        member: can(actor, "deployment:cancel", resource),
        approver: can(actor, "deployment:approve", resource) && deployment.requestedBy.id !== actor.userId,
      }}
    />
  );
}
