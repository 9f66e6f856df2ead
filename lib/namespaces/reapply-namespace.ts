// One click to try again: a failed provisioning (the team or an admin), a
// drifted namespace (an admin), or a decommission that stopped on an error.
// What is offered is namespaceActions' rule, the same one the page shows.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { enqueueNamespaceWork } from "@/lib/namespaces/namespace-jobs";
import { publishChange } from "@/lib/changes/publish-change";
import { namespaceInclude, namespaceStatuses, toNamespaceView, type NamespaceView } from "@/lib/namespaces/namespace-view";
import { namespaceActions } from "@/lib/namespaces/namespace-actions";
import { oneOf } from "@/lib/db/one-of";

export async function reapplyNamespace({ actor, namespaceId }: { actor: Actor; namespaceId: string }): Promise<NamespaceView> {
  const prisma = getPrisma();
  const namespace = z.uuid().safeParse(namespaceId).success ? await prisma.namespace.findUnique({ where: { id: namespaceId } }) : null;
  if (!namespace) throw new AppError("not_found", "There is no such namespace.");
  const state = {
    status: oneOf(namespaceStatuses, namespace.status, "Namespace.status"),
    gaveUpAt: namespace.gaveUpAt,
    drift: (namespace.drift as string[] | null) ?? [],
  };
  const rights = { member: can(actor, "namespace:request", { teamId: namespace.teamId }), admin: can(actor, "namespace:manage") };
  const actions = namespaceActions(state, rights);
  if (!actions.retry && !actions.reapply) {
    // Refused for want of rights (audited) or because there is nothing to start again now.
    const needed = state.status === "ready" ? "namespace:manage" : "namespace:request";
    if (!(needed === "namespace:manage" ? rights.admin : rights.member || rights.admin)) {
      await recordAuditEvent(prisma, { actor, action: "namespace.reapply", resourceType: "namespace", resourceId: namespace.id, outcome: "denied" });
      throw forbidden(needed);
    }
    throw new AppError("conflict", `${namespace.name}: ${actions.whyNot}`);
  }
  const work = namespace.status === "decommissioning" ? "decommission" : "provision";
  const view = await prisma.$transaction(async (tx) => {
    const row = await tx.namespace.update({
      where: { id: namespace.id },
      data: { status: work === "provision" ? "provisioning" : "decommissioning", statusMessage: "Waiting for a worker", attempts: 0, gaveUpAt: null },
      include: namespaceInclude,
    });
    await recordAuditEvent(tx, {
      actor,
      action: "namespace.reapply",
      resourceType: "namespace",
      resourceId: namespace.id,
      outcome: "success",
      before: { status: namespace.status, statusMessage: namespace.statusMessage, drift: namespace.drift },
      after: { status: row.status },
    });
    return toNamespaceView(row);
  });
  await enqueueNamespaceWork(work, namespace.id);
  await publishChange({ kind: "namespace", id: namespace.id });
  return view;
}
