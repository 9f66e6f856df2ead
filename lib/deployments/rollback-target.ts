// The revision a failed or failing deployment would return to: the latest
// earlier one of the same service in the same namespace that rolled out
// successfully (the one `rollbackDeployment` accepts, as the cancel path picks it).
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";

export interface RollbackTarget {
  /** The deployment to POST /rollback to. */
  id: string;
  revision: number;
  image: string;
}

export async function findRollbackTarget({
  actor,
  deployment,
}: {
  actor: Actor;
  deployment: { id: string; revision: number; service: { id: string }; namespace: { id: string } };
}): Promise<RollbackTarget | null> {
  if (!can(actor, "deployment:read")) throw forbidden("deployment:read");
  return getPrisma().deployment.findFirst({
    where: { serviceId: deployment.service.id, namespaceId: deployment.namespace.id, status: "succeeded", revision: { lt: deployment.revision } },
    orderBy: { revision: "desc" },
    select: { id: true, revision: true, image: true },
  });
}
