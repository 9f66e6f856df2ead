// One click to try again: a failed provisioning (the team or an admin), a
// drifted namespace (an admin), or a decommission that stopped on an error.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueueNamespaceWork } from "@/lib/namespaces/namespace-jobs";
import { publishChange } from "@/lib/changes/publish-change";
import { namespaceInclude, toNamespaceView, type NamespaceView } from "@/lib/namespaces/namespace-view";

export async function reapplyNamespace({ actor, namespaceId }: { actor: Actor; namespaceId: string }): Promise<NamespaceView> {
  const prisma = getPrisma();
  const namespace = z.uuid().safeParse(namespaceId).success ? await prisma.namespace.findUnique({ where: { id: namespaceId } }) : null;
  if (!namespace) throw new AppError("not_found", "There is no such namespace.");
  const allowed = namespace.status === "ready" ? can(actor, "namespace:manage") : can(actor, "namespace:request", { teamId: namespace.teamId });
  if (!allowed) {
    await recordAuditEvent(prisma, { actor, action: "namespace.reapply", resourceType: "namespace", resourceId: namespace.id, outcome: "denied" });
    throw forbidden(namespace.status === "ready" ? "namespace:manage" : "namespace:request");
  }
  if (namespace.status === "decommissioned") throw new AppError("conflict", `${namespace.name} was decommissioned; request a new namespace instead.`);
  const work = namespace.status === "decommissioning" ? "decommission" : "provision";
  const view = await prisma.$transaction(async (tx) => {
    const row = await tx.namespace.update({
      where: { id: namespace.id },
      data: { status: work === "provision" ? "provisioning" : "decommissioning", statusMessage: "Waiting for a worker", attempts: 0 },
      include: namespaceInclude,
    });
    await recordAuditEvent(tx, { actor, action: "namespace.reapply", resourceType: "namespace", resourceId: namespace.id, outcome: "success", before: { status: namespace.status, statusMessage: namespace.statusMessage, drift: namespace.drift }, after: { status: row.status } });
    return toNamespaceView(row);
  });
  await enqueueNamespaceWork(work, namespace.id);
  await publishChange({ kind: "namespace", id: namespace.id });
  return view;
}
