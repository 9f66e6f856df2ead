// What pages and the API see of namespaces and namespace requests.
import type { Cluster, Namespace, NamespaceRequest, Team } from "@/lib/db/generated/client";
import type { ContainerDefaults, Quota } from "@/lib/namespaces/namespace-input";
import type { PolicyViolation } from "@/lib/namespaces/namespace-policy";
import { oneOf } from "@/lib/db/one-of";

// The values the database's CHECK constraints allow (lib/status-checks.test.ts holds the two together).
export const namespaceStatuses = ["provisioning", "ready", "failed", "decommissioning", "decommissioned"] as const;
export type NamespaceStatus = (typeof namespaceStatuses)[number];
export const requestStatuses = ["pending", "withdrawn", "rejected", "approved"] as const;
export type RequestStatus = (typeof requestStatuses)[number];
export const requestKinds = ["create", "change", "decommission"] as const;
export type RequestKind = (typeof requestKinds)[number];

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
  /** When the worker gave up on the current status's work (provisioning failed, a decommission stopped on an error); null while it is trying or done. */
  gaveUpAt: string | null;
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
    status: oneOf(namespaceStatuses, row.status, "Namespace.status"),
    statusMessage: row.statusMessage,
    gaveUpAt: row.gaveUpAt?.toISOString() ?? null,
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
export const requestInclude = {
  team: { select: { id: true, slug: true, name: true } },
  cluster: { select: { id: true, name: true, environment: true } },
} as const;

export function toNamespaceRequestView(row: NamespaceRequest & { team: TeamRef; cluster: Pick<Cluster, "id" | "name" | "environment"> }): NamespaceRequestView {
  return {
    id: row.id,
    kind: oneOf(requestKinds, row.kind, "NamespaceRequest.kind"),
    team: { id: row.team.id, slug: row.team.slug, name: row.team.name },
    cluster: { id: row.cluster.id, name: row.cluster.name, environment: row.cluster.environment },
    namespaceId: row.namespaceId,
    name: row.name,
    quota: row.quota as Quota,
    containerDefaults: row.containerDefaults as ContainerDefaults,
    costCenter: row.costCenter,
    justification: row.justification,
    status: oneOf(requestStatuses, row.status, "NamespaceRequest.status"),
    violationsAtSubmission: (row.policyCheck as { violations?: PolicyViolation[] } | null)?.violations ?? [],
    requestedBy: { id: row.requestedById, name: row.requestedByName },
    decidedBy: row.decidedById ? { id: row.decidedById, name: row.decidedByName ?? "" } : null,
    decidedAt: row.decidedAt?.toISOString() ?? null,
    decisionReason: row.decisionReason,
    createdAt: row.createdAt.toISOString(),
  };
}
