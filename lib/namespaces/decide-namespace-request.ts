// An admin approves or rejects a namespace request. Exactly one decision
// counts: the update only matches a request that is still pending.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { logger } from "@/lib/logger";
import { decisionInput, type ContainerDefaults, type Quota } from "@/lib/namespaces/namespace-input";
import { checkNamespacePolicy } from "@/lib/namespaces/namespace-policy";
import { loadPolicies } from "@/lib/namespaces/namespace-policies";
import { buildPolicyContext, lockClusterNames } from "@/lib/namespaces/policy-context";
import { requestInclude, toNamespaceRequestView, type NamespaceRequestView } from "@/lib/namespaces/namespace-view";
import { enqueueNamespaceWork } from "@/lib/namespaces/namespace-jobs";
import { notifyUser, settleAsks } from "@/lib/notifications/notify";
import { approvalsChanged } from "@/lib/notifications/approvals-changed";
import { publishChange } from "@/lib/changes/publish-change";
import type { Environment } from "@/lib/clusters/cluster-view";

export interface Decision {
  request: NamespaceRequestView;
  namespaceId: string | null;
}

function when(date: Date | null): string {
  return date ? ` at ${date.toISOString().replace("T", " ").slice(0, 16)} UTC` : "";
}

export async function decideNamespaceRequest({ actor, requestId, input }: { actor: Actor; requestId: string; input: unknown }): Promise<Decision> {
  const prisma = getPrisma();
  const decision = parseInput(decisionInput, input);
  const action = decision.decision === "approve" ? "namespace.approve" : "namespace.reject";
  if (!can(actor, "namespace:approve")) {
    await recordAuditEvent(prisma, { actor, action, resourceType: "namespace_request", resourceId: requestId, outcome: "denied" });
    throw forbidden("namespace:approve");
  }
  const request = z.uuid().safeParse(requestId).success
    ? await prisma.namespaceRequest.findUnique({ where: { id: requestId }, include: { cluster: true, team: true } })
    : null;
  if (!request) throw new AppError("not_found", "There is no such namespace request.");
  if (decision.decision === "approve" && actor.kind === "user" && request.requestedById === actor.userId) {
    const policy = request.cluster.environment ? (await loadPolicies(prisma))[request.cluster.environment as Environment] : null;
    if (!policy?.allowSelfApproval) {
      await recordAuditEvent(prisma, { actor, action, resourceType: "namespace_request", resourceId: request.id, outcome: "denied", detail: "self-approval" });
      throw new AppError(
        "forbidden",
        `You made this request, and the ${request.cluster.environment ?? "cluster's"} policy ` +
          "does not let an admin approve their own request; another platform admin must approve it.",
      );
    }
  }

  let namespaceId: string | null = request.namespaceId;
  const view = await prisma
    .$transaction(async (tx) => {
      const decided = await tx.namespaceRequest.updateMany({
        where: { id: request.id, status: "pending" },
        data: {
          status: decision.decision === "approve" ? "approved" : "rejected",
          decidedById: actor.kind === "user" ? actor.userId : null,
          decidedByName: actor.name,
          decidedAt: new Date(),
          decisionReason: decision.reason || null,
        },
      });
      if (decided.count === 0) {
        const current = await tx.namespaceRequest.findUniqueOrThrow({ where: { id: request.id } });
        throw new AppError(
          "conflict",
          "This request was already " +
            `${current.status}${current.decidedByName ? ` by ${current.decidedByName}` : ""}${when(current.decidedAt)}; nothing was changed.`,
        );
      }
      if (decision.decision === "approve") namespaceId = await applyApproval(tx, request);
      const row = await tx.namespaceRequest.findUniqueOrThrow({ where: { id: request.id }, include: requestInclude });
      const after = toNamespaceRequestView(row);
      await recordAuditEvent(tx, {
        actor,
        action,
        resourceType: "namespace_request",
        resourceId: request.id,
        outcome: "success",
        before: { status: "pending" },
        after: { status: after.status, reason: after.decisionReason, namespaceId },
      });
      const verb = decision.decision === "approve" ? "approved" : "rejected";
      const what =
        request.kind === "create"
          ? `${request.name} on ${request.cluster.name}`
          : request.kind === "change"
            ? `the quota change for ${request.name}`
            : `decommissioning ${request.name}`;
      await settleAsks(tx, `/approvals#${request.id}`);
      await notifyUser(tx, request.requestedById, {
        message: `${actor.name} ${verb} ${what}${decision.reason ? `: ${decision.reason}` : "."}`,
        link: namespaceId ? `/namespaces/${namespaceId}` : `/namespaces?request=${request.id}`,
      });
      await approvalsChanged(tx);
      return after;
    })
    .catch((error: unknown) => {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
        throw new AppError("conflict", `${request.name} already exists on ${request.cluster.name}; reject this request so the team picks another name.`);
      }
      throw error;
    });

  if (namespaceId) await publishChange({ kind: "namespace", id: namespaceId });
  if (decision.decision === "approve" && namespaceId) {
    await enqueueNamespaceWork(request.kind === "decommission" ? "decommission" : "provision", namespaceId).catch((error: unknown) => {
      // The namespace is recorded; the reconcile sweep enqueues it again.
      logger.warn({ err: error, namespaceId }, "could not enqueue namespace work; the reconcile sweep will retry");
    });
  }
  return { request: view, namespaceId };
}

type RequestWithCluster = Prisma.NamespaceRequestGetPayload<{ include: { cluster: true; team: true } }>;

async function applyApproval(tx: Prisma.TransactionClient, request: RequestWithCluster): Promise<string> {
  const quota = request.quota as Quota;
  const containerDefaults = request.containerDefaults as ContainerDefaults;
  if (request.kind === "create") {
    await lockClusterNames(tx, request.clusterId);
    const context = await buildPolicyContext(tx, { kind: "create", team: request.team, cluster: request.cluster });
    const violations = checkNamespacePolicy({ name: request.name, quota, containerDefaults }, context);
    if (violations.length)
      throw new AppError(
        "conflict",
        `The policy no longer allows this request: ${violations[0]!.message} Reject it with that reason, or change the policy first.`,
      );
    const namespace = await tx.namespace.create({
      data: {
        clusterId: request.clusterId,
        teamId: request.teamId,
        name: request.name,
        activeName: request.name,
        environment: request.cluster.environment!,
        costCenter: request.costCenter,
        quota,
        containerDefaults,
        status: "provisioning",
        statusMessage: "Waiting for a worker",
      },
    });
    await tx.namespaceRequest.update({ where: { id: request.id }, data: { namespaceId: namespace.id } });
    return namespace.id;
  }
  const namespace = await tx.namespace.findUniqueOrThrow({ where: { id: request.namespaceId! } });
  if (namespace.status === "decommissioning" || namespace.status === "decommissioned")
    throw new AppError("conflict", `${namespace.name} is ${namespace.status}; this request can only be rejected.`);
  if (request.kind === "change") {
    await tx.namespace.update({
      where: { id: namespace.id },
      data: { quota, containerDefaults, status: "provisioning", statusMessage: "Waiting for a worker", attempts: 0, gaveUpAt: null },
    });
  } else {
    await tx.namespace.update({
      where: { id: namespace.id },
      data: { status: "decommissioning", statusMessage: "Waiting for a worker", attempts: 0, gaveUpAt: null },
    });
  }
  return namespace.id;
}
