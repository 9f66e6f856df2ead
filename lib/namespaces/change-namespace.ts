// Later requests about a namespace that exists: a quota change and
// decommissioning go through the same queue and approval as the first one.
import { z } from "zod";
import { approvalsChanged } from "@/lib/notifications/approvals-changed";
import { settleAsks } from "@/lib/notifications/notify";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { quotaChangeInput } from "@/lib/namespaces/namespace-input";
import { checkNamespacePolicy } from "@/lib/namespaces/namespace-policy";
import { buildPolicyContext } from "@/lib/namespaces/policy-context";
import { requestInclude, toNamespaceRequestView, type NamespaceRequestView } from "@/lib/namespaces/namespace-view";
import { requireUser } from "@/lib/namespaces/request-namespace";
import { fileNamespaceRequest } from "@/lib/namespaces/file-namespace-request";

const decommissionInput = z.object({
  confirmName: z.string({ error: "Type the namespace's name to confirm." }).trim(),
  justification: z
    .string({ error: "Say why the namespace can go." })
    .trim()
    .min(10, "Say why the namespace can go, in at least 10 characters.")
    .max(2000, "The justification can have at most 2,000 characters."),
});

async function loadNamespace(id: string) {
  const row = z.uuid().safeParse(id).success ? await getPrisma().namespace.findUnique({ where: { id }, include: { team: true, cluster: true } }) : null;
  if (!row) throw new AppError("not_found", "There is no such namespace.");
  return row;
}

async function refuseUnlessMember(actor: Actor, action: string, namespace: { teamId: string; name: string }): Promise<void> {
  if (can(actor, "namespace:request", { teamId: namespace.teamId })) return;
  await recordAuditEvent(getPrisma(), { actor, action, resourceType: "namespace", resourceId: namespace.name, outcome: "denied" });
  throw forbidden("namespace:request");
}

async function refuseIfPending(namespaceId: string, name: string): Promise<void> {
  const pending = await getPrisma().namespaceRequest.findFirst({ where: { namespaceId, status: "pending" }, select: { kind: true } });
  if (pending)
    throw new AppError(
      "conflict",
      `${name} already has a pending ${pending.kind === "decommission" ? "decommission" : "quota change"} request; withdraw it or wait for the decision.`,
    );
}

export async function requestQuotaChange({ actor, namespaceId, input }: { actor: Actor; namespaceId: string; input: unknown }): Promise<NamespaceRequestView> {
  const namespace = await loadNamespace(namespaceId);
  await refuseUnlessMember(actor, "namespace.request_change", namespace);
  const user = requireUser(actor);
  const parsed = parseInput(quotaChangeInput, input);
  if (namespace.status === "decommissioning" || namespace.status === "decommissioned")
    throw new AppError("conflict", `${namespace.name} is ${namespace.status}; its quota can no longer change.`);
  await refuseIfPending(namespace.id, namespace.name);
  return getPrisma().$transaction(async (tx) => {
    const context = await buildPolicyContext(tx, { kind: "change", team: namespace.team, cluster: namespace.cluster, namespaceId: namespace.id });
    const violations = checkNamespacePolicy({ name: namespace.name, ...parsed }, context);
    if (violations.length) throw new AppError("invalid_input", violations[0]!.message, { path: violations[0]!.field.split(".") });
    return fileNamespaceRequest(tx, {
      requester: user,
      request: {
        kind: "change",
        teamId: namespace.teamId,
        clusterId: namespace.clusterId,
        namespaceId: namespace.id,
        name: namespace.name,
        quota: parsed.quota,
        containerDefaults: parsed.containerDefaults,
        costCenter: namespace.costCenter,
        justification: parsed.justification,
      },
      auditAction: "namespace.request_change",
      before: { quota: namespace.quota, containerDefaults: namespace.containerDefaults },
      notice: `${user.name} asks to change the quota of ${namespace.name} on ${namespace.cluster.name}.`,
    });
  });
}

export async function requestDecommission({ actor, namespaceId, input }: { actor: Actor; namespaceId: string; input: unknown }): Promise<NamespaceRequestView> {
  const namespace = await loadNamespace(namespaceId);
  await refuseUnlessMember(actor, "namespace.request_decommission", namespace);
  const user = requireUser(actor);
  const parsed = parseInput(decommissionInput, input);
  if (parsed.confirmName !== namespace.name)
    throw new AppError("invalid_input", `Type ${namespace.name} exactly to confirm; decommissioning deletes the namespace and everything in it.`, {
      path: ["confirmName"],
    });
  if (namespace.status === "decommissioning" || namespace.status === "decommissioned")
    throw new AppError("conflict", `${namespace.name} is already ${namespace.status}.`);
  await refuseIfPending(namespace.id, namespace.name);
  return getPrisma().$transaction(async (tx) => {
    return fileNamespaceRequest(tx, {
      requester: user,
      request: {
        kind: "decommission",
        teamId: namespace.teamId,
        clusterId: namespace.clusterId,
        namespaceId: namespace.id,
        name: namespace.name,
        quota: namespace.quota ?? {},
        containerDefaults: namespace.containerDefaults ?? {},
        costCenter: namespace.costCenter,
        justification: parsed.justification,
      },
      auditAction: "namespace.request_decommission",
      notice: `${user.name} asks to decommission ${namespace.name} on ${namespace.cluster.name}.`,
    });
  });
}

/** The requester (or a teammate) takes back a request nobody has decided yet. */
export async function withdrawNamespaceRequest({ actor, requestId }: { actor: Actor; requestId: string }): Promise<NamespaceRequestView> {
  const prisma = getPrisma();
  const request = z.uuid().safeParse(requestId).success ? await prisma.namespaceRequest.findUnique({ where: { id: requestId } }) : null;
  if (!request) throw new AppError("not_found", "There is no such namespace request.");
  if (!can(actor, "namespace:request", { teamId: request.teamId })) {
    await recordAuditEvent(prisma, { actor, action: "namespace.withdraw", resourceType: "namespace_request", resourceId: request.id, outcome: "denied" });
    throw forbidden("namespace:request");
  }
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.namespaceRequest.updateMany({
      where: { id: request.id, status: "pending" },
      data: { status: "withdrawn", decidedAt: new Date(), decidedByName: actor.name, decidedById: actor.kind === "user" ? actor.userId : null },
    });
    if (count === 0) {
      const current = await tx.namespaceRequest.findUniqueOrThrow({ where: { id: request.id } });
      throw new AppError(
        "conflict",
        `This request was already ${current.status}${current.decidedByName ? ` by ${current.decidedByName}` : ""}; it can no longer be withdrawn.`,
      );
    }
    const view = toNamespaceRequestView(await tx.namespaceRequest.findUniqueOrThrow({ where: { id: request.id }, include: requestInclude }));
    await recordAuditEvent(tx, {
      actor,
      action: "namespace.withdraw",
      resourceType: "namespace_request",
      resourceId: request.id,
      outcome: "success",
      before: { status: "pending" },
      after: { status: "withdrawn" },
    });
    await settleAsks(tx, `/approvals#${request.id}`);
    await approvalsChanged(tx);
    return view;
  });
}
