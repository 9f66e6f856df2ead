// Everything checkNamespacePolicy needs to know about the world, read in the
// transaction that acts on the answer.
import type { Prisma } from "@/lib/db/generated/client";
import type { Environment } from "@/lib/clusters/cluster-view";
import { loadPolicies } from "@/lib/namespaces/namespace-policies";
import type { PolicyContext } from "@/lib/namespaces/namespace-policy";

export const activeStatuses = ["provisioning", "ready", "failed", "decommissioning"];

interface Subject {
  kind: "create" | "change";
  team: { id: string; slug: string; name: string };
  cluster: { id: string; name: string; environment: string | null };
  /** For a change: the namespace itself, which does not count against its own name. */
  namespaceId?: string;
  /** A pending request being re-checked: it does not count against its own name and slot. */
  requestId?: string;
}

export async function buildPolicyContext(db: Prisma.TransactionClient, subject: Subject): Promise<PolicyContext> {
  const environment = subject.cluster.environment as Environment | null;
  const [policies, otherTeams, namespaces, pending, teamNamespaces, teamPending] = await Promise.all([
    loadPolicies(db),
    db.team.findMany({ where: { id: { not: subject.team.id } }, select: { slug: true, name: true } }),
    db.namespace.findMany({
      where: { clusterId: subject.cluster.id, activeName: { not: null }, ...(subject.namespaceId && { id: { not: subject.namespaceId } }) },
      select: { name: true },
    }),
    db.namespaceRequest.findMany({
      where: { clusterId: subject.cluster.id, kind: "create", status: "pending", ...(subject.requestId && { id: { not: subject.requestId } }) },
      select: { name: true },
    }),
    environment ? db.namespace.count({ where: { teamId: subject.team.id, environment, status: { in: activeStatuses } } }) : 0,
    environment
      ? db.namespaceRequest.count({
          where: {
            teamId: subject.team.id,
            kind: "create",
            status: "pending",
            cluster: { environment },
            ...(subject.requestId && { id: { not: subject.requestId } }),
          },
        })
      : 0,
  ]);
  return {
    kind: subject.kind,
    team: subject.team,
    otherTeams,
    cluster: { name: subject.cluster.name, environment },
    policy: environment ? policies[environment] : null,
    takenNames: new Set([...namespaces.map((n) => n.name), ...pending.map((r) => r.name)]),
    teamNamespaceCount: teamNamespaces + teamPending,
  };
}

/** Serialises decisions about names on one cluster: two requests cannot both take the last slot or the same name. */
export async function lockClusterNames(db: Prisma.TransactionClient, clusterId: string): Promise<void> {
  await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`wharf:namespace-names:${clusterId}`}, 0))`;
}
