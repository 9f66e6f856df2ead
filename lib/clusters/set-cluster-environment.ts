import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { environments, toClusterView, type ClusterView } from "@/lib/clusters/cluster-view";

const environmentInput = z.enum(environments, { error: `The environment must be one of ${environments.join(", ")}.` }).nullable();

/** Which environment a cluster serves decides the quota ceilings and approvals that apply to it. */
export async function setClusterEnvironment({ actor, id, environment }: { actor: Actor; id: string; environment: string | null }): Promise<ClusterView> {
  if (!can(actor, "cluster:manage")) {
    await recordAuditEvent(getPrisma(), { actor, action: "cluster.set_environment", resourceType: "cluster", resourceId: id, outcome: "denied" });
    throw forbidden("cluster:manage");
  }
  const value = parseInput(environmentInput, environment);
  if (!z.uuid().safeParse(id).success) throw new AppError("not_found", "There is no such cluster; discover clusters again.");
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.cluster.findUnique({ where: { id } });
    if (!before) throw new AppError("not_found", "There is no such cluster; discover clusters again.");
    const after = await tx.cluster.update({ where: { id }, data: { environment: value } });
    await recordAuditEvent(tx, {
      actor,
      action: "cluster.set_environment",
      resourceType: "cluster",
      resourceId: after.name,
      outcome: "success",
      before: { environment: before.environment },
      after: { environment: after.environment },
    });
    return toClusterView(after);
  });
}
