// What pages and the API see of namespaces and namespace requests.
import type { Cluster, Namespace, NamespaceRequest, Team } from "@/lib/db/generated/client";
import type { ContainerDefaults, Quota } from "@/lib/namespaces/namespace-input";
import type { PolicyViolation } from "@/lib/namespaces/namespace-policy";

export type NamespaceStatus = "provisioning" | "ready" | "failed" | "decommissioning" | "decommissioned";
export type RequestStatus = "pending" | "withdrawn" | "rejected" | "approved";
export type RequestKind = "create" | "change" | "decommission";

export interface QuotaUsage {
  hard: Record<string, string>;
  used: Record<string, string>;
}

export interface NamespaceView {
  id: string;
  name: string;
  team: { id: string; slug: string; name: string };
  cluster: { id: string; name: string };
  environment: string;
  costCenter: string;
  quota: Quota;
  containerDefaults: ContainerDefaults;
  status: NamespaceStatus;
  statusMessage: string | null;
  attempts: number;
  drift: string[];
  usage: QuotaUsage | null;
  checkedAt: string | null;
  readyAt: string | null;
  decommissionedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface NamespaceRequestView {
  id: string;
  kind: RequestKind;
  team: { id: string; slug: string; name: string };
  cluster: { id: string; name: string; environment: string | null };
  namespaceId: string | null;
  name: string;
  quota: Quota;
  containerDefaults: ContainerDefaults;
  costCenter: string;
  justification: string;
  status: RequestStatus;
  violationsAtSubmission: PolicyViolation[];
  requestedBy: { id: string; name: string };
  decidedBy: { id: string; name: string } | null;
  decidedAt: string | null;
  decisionReason: string | null;
  createdAt: string;
}

type TeamRef = Pick<Team, "id" | "slug" | "name">;

export function toNamespaceView(row: Namespace & { team: TeamRef; cluster: Pick<Cluster, "id" | "name"> }): NamespaceView {
  return {
    id: row.id,
    name: row.name,
    team: { id: row.team.id, slug: row.team.slug, name: row.team.name },
    cluster: { id: row.cluster.id, name: row.cluster.name },
    environment: row.environment,
    costCenter: row.costCenter,
    quota: row.quota as Quota,
    containerDefaults: row.containerDefaults as ContainerDefaults,
    status: row.status as NamespaceStatus,
    statusMessage: row.statusMessage,
    attempts: row.attempts,
    drift: (row.drift as string[] | null) ?? [],
    usage: row.usage as QuotaUsage | null,
    checkedAt: row.checkedAt?.toISOString() ?? null,
    readyAt: row.readyAt?.toISOString() ?? null,
    decommissionedAt: row.decommissionedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const namespaceInclude = { team: { select: { id: true, slug: true, name: true } }, cluster: { select: { id: true, name: true } } } as const;
export const requestInclude = { team: { select: { id: true, slug: true, name: true } }, cluster: { select: { id: true, name: true, environment: true } } } as const;

export function toNamespaceRequestView(row: NamespaceRequest & { team: TeamRef; cluster: Pick<Cluster, "id" | "name" | "environment"> }): NamespaceRequestView {
  return {
    id: row.id,
    kind: row.kind as RequestKind,
    team: { id: row.team.id, slug: row.team.slug, name: row.team.name },
    cluster: { id: row.cluster.id, name: row.cluster.name, environment: row.cluster.environment },
    namespaceId: row.namespaceId,
    name: row.name,
    quota: row.quota as Quota,
    containerDefaults: row.containerDefaults as ContainerDefaults,
    costCenter: row.costCenter,
    justification: row.justification,
    status: row.status as RequestStatus,
    violationsAtSubmission: ((row.policyCheck as { violations?: PolicyViolation[] } | null)?.violations ?? []),
    requestedBy: { id: row.requestedById, name: row.requestedByName },
    decidedBy: row.decidedById ? { id: row.decidedById, name: row.decidedByName ?? "" } : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    createdAt: row.createdAt.toISOString(),
  };
}
