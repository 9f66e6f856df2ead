// The one way a namespace request is written: the pending row, its audit event
// and the admins' notice, inside the caller's transaction. Asking for a new
// namespace, a quota change and a decommission all go through here, so what a
// pending request holds cannot differ between them.
import type { Prisma } from "@/lib/db/generated/client";
import type { UserActor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { requestInclude, toNamespaceRequestView, type NamespaceRequestView } from "@/lib/namespaces/namespace-view";
import { notifyAdmins } from "@/lib/notifications/notify";
import { approvalsChanged } from "@/lib/notifications/approvals-changed";

type RequestData = Prisma.NamespaceRequestUncheckedCreateInput;

export interface NewNamespaceRequest {
  kind: "create" | "change" | "decommission";
  teamId: string;
  clusterId: string;
  /** The namespace a change or decommission is about; none for a new one. */
  namespaceId?: string;
  name: string;
  quota: RequestData["quota"];
  containerDefaults: RequestData["containerDefaults"];
  costCenter: string;
  justification: string;
}

export async function fileNamespaceRequest(
  tx: Prisma.TransactionClient,
  {
    requester,
    request,
    auditAction,
    before,
    notice,
  }: { requester: UserActor; request: NewNamespaceRequest; auditAction: string; before?: unknown; notice: string },
): Promise<NamespaceRequestView> {
  const row = await tx.namespaceRequest.create({
    data: { ...request, status: "pending", policyCheck: { violations: [] }, requestedById: requester.userId, requestedByName: requester.name },
    include: requestInclude,
  });
  const view = toNamespaceRequestView(row);
  await recordAuditEvent(tx, {
    actor: requester,
    action: auditAction,
    resourceType: "namespace_request",
    resourceId: row.id,
    outcome: "success",
    before,
    after: view,
  });
  await notifyAdmins(tx, { message: notice, link: `/approvals#${row.id}` });
  await approvalsChanged(tx);
  return view;
}
