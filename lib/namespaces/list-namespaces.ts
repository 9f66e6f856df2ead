// Reads for the namespaces pages and the API. Everyone signed in may read;
// the cluster is never called here, only what the worker last recorded.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db/generated/client";
import type { Environment } from "@/lib/clusters/cluster-view";
import { checkNamespacePolicy, type EnvironmentPolicy, type PolicyViolation } from "@/lib/namespaces/namespace-policy";
import { loadPolicies } from "@/lib/namespaces/namespace-policies";
import { activeStatuses, buildPolicyContext } from "@/lib/namespaces/policy-context";
import type { ContainerDefaults, Quota } from "@/lib/namespaces/namespace-input";
import { kubectlConnection, type KubectlConnection } from "@/lib/namespaces/kubectl-connection";
import {
  namespaceInclude,
  requestInclude,
  toNamespaceRequestView,
  toNamespaceView,
  type NamespaceRequestView,
  type NamespaceView,
} from "@/lib/namespaces/namespace-view";

function assertRead(actor: Actor): void {
  if (!can(actor, "namespace:read")) throw forbidden("namespace:read");
}

export async function listNamespaces({
  actor,
  teamId,
  clusterId,
  includeDecommissioned = false,
}: {
  actor: Actor;
  teamId?: string;
  clusterId?: string;
  includeDecommissioned?: boolean;
}): Promise<NamespaceView[]> {
  assertRead(actor);
  const where: Prisma.NamespaceWhereInput = {
    ...(teamId && z.uuid().safeParse(teamId).success && { teamId }),
    ...(clusterId && z.uuid().safeParse(clusterId).success && { clusterId }),
    ...(!includeDecommissioned && { status: { not: "decommissioned" } }),
  };
  const rows = await getPrisma().namespace.findMany({ where, include: namespaceInclude, orderBy: [{ team: { name: "asc" } }, { name: "asc" }], take: 2000 });
  return rows.map(toNamespaceView);
}

export interface NamespaceDetail {
  namespace: NamespaceView;
  requests: NamespaceRequestView[];
  /** How to reach it with kubectl: the Azure CLI and kubelogin commands for its cluster (issue 17 item 5). */
  connect: KubectlConnection;
}

export async function getNamespace({ actor, id }: { actor: Actor; id: string }): Promise<NamespaceDetail> {
  assertRead(actor);
  const row = z.uuid().safeParse(id).success
    ? await getPrisma().namespace.findUnique({
        where: { id },
        include: {
          ...namespaceInclude,
          cluster: { select: { id: true, name: true, subscriptionId: true, resourceGroup: true } },
          requests: { include: requestInclude, orderBy: { createdAt: "desc" } },
        },
      })
    : null;
  if (!row) throw new AppError("not_found", "There is no such namespace.");
  return { namespace: toNamespaceView(row), requests: row.requests.map(toNamespaceRequestView), connect: kubectlConnection(row.cluster, row.name) };
}

export interface QueuedRequest {
  request: NamespaceRequestView;
  /** The policy as it stands now, which may differ from submission time. */
  violationsNow: PolicyViolation[];
  teamNamespaces: NamespaceView[];
  /** The namespace a change or decommission is about. */
  current: NamespaceView | null;
  selfRequested: boolean;
  selfApprovalAllowed: boolean;
}

export async function listNamespaceRequests({
  actor,
  status,
  teamId,
  limit = 200,
}: {
  actor: Actor;
  status?: string;
  teamId?: string;
  limit?: number;
}): Promise<NamespaceRequestView[]> {
  assertRead(actor);
  const where: Prisma.NamespaceRequestWhereInput = {
    ...(status && { status }),
    ...(teamId && z.uuid().safeParse(teamId).success && { teamId }),
  };
  const rows = await getPrisma().namespaceRequest.findMany({
    where,
    include: requestInclude,
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(limit, 1), 500),
  });
  return rows.map(toNamespaceRequestView);
}

/** The admin queue: pending requests with what an approver needs to decide. */
export async function listApprovalQueue({ actor }: { actor: Actor }): Promise<QueuedRequest[]> {
  if (!can(actor, "namespace:approve")) throw forbidden("namespace:approve");
  const prisma = getPrisma();
  const rows = await prisma.namespaceRequest.findMany({
    where: { status: "pending" },
    include: { ...requestInclude, team: true, cluster: true },
    orderBy: { createdAt: "asc" },
    take: 500,
  });
  const teamIds = [...new Set(rows.map((r) => r.teamId))];
  const [namespaces, policies] = await Promise.all([
    prisma.namespace.findMany({ where: { teamId: { in: teamIds }, status: { in: activeStatuses } }, include: namespaceInclude, orderBy: { name: "asc" } }),
    loadPolicies(prisma),
  ]);
  const views = namespaces.map(toNamespaceView);
  return prisma.$transaction(async (tx) =>
    Promise.all(
      rows.map(async (row) => {
        const request = toNamespaceRequestView(row);
        const kind = row.kind === "create" ? "create" : "change";
        const violationsNow =
          row.kind === "decommission"
            ? []
            : checkNamespacePolicy(
                { name: row.name, quota: row.quota as Quota, containerDefaults: row.containerDefaults as ContainerDefaults },
                await buildPolicyContext(tx, { kind, team: row.team, cluster: row.cluster, namespaceId: row.namespaceId ?? undefined, requestId: row.id }),
              );
        const environment = row.cluster.environment as Environment | null;
        const policy: EnvironmentPolicy | null = environment ? policies[environment] : null;
        return {
          request,
          violationsNow,
          teamNamespaces: views.filter((v) => v.team.id === row.teamId),
          current: views.find((v) => v.id === row.namespaceId) ?? null,
          selfRequested: actor.kind === "user" && row.requestedById === actor.userId,
          selfApprovalAllowed: policy?.allowSelfApproval ?? false,
        };
      }),
    ),
  );
}

export async function getNamespaceRequest({ actor, id }: { actor: Actor; id: string }): Promise<NamespaceRequestView> {
  assertRead(actor);
  const row = z.uuid().safeParse(id).success ? await getPrisma().namespaceRequest.findUnique({ where: { id }, include: requestInclude }) : null;
  if (!row) throw new AppError("not_found", "There is no such namespace request.");
  return toNamespaceRequestView(row);
}
