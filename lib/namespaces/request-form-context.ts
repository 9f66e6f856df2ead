// What the request form needs to run the policy in the browser as the user
// types: the teams they may request for, clusters with environments, the
// ceilings, and the names already taken. The server checks again on submit.
import { getPrisma } from "@/lib/db/client";
import { actsForTeam, type Actor } from "@/lib/auth/permissions";
import type { Environment } from "@/lib/clusters/cluster-view";
import type { EnvironmentPolicy } from "@/lib/namespaces/namespace-policy";
import { loadPolicies } from "@/lib/namespaces/namespace-policies";
import { activeStatuses } from "@/lib/namespaces/policy-context";

export interface RequestFormContext {
  teams: { id: string; slug: string; name: string; costCenter: string | null }[];
  allTeams: { slug: string; name: string }[];
  clusters: { id: string; name: string; location: string; environment: Environment | null }[];
  policies: Record<Environment, EnvironmentPolicy>;
  /** Per cluster id: names of active namespaces and pending requests. */
  takenNames: Record<string, string[]>;
  /** Per team id, per environment: namespaces plus pending create requests. */
  teamCounts: Record<string, Partial<Record<Environment, number>>>;
}

export async function loadRequestFormContext({ actor }: { actor: Actor }): Promise<RequestFormContext> {
  const prisma = getPrisma();
  const [allTeams, clusters, policies, namespaces, pending] = await Promise.all([
    prisma.team.findMany({ where: { archivedAt: null }, select: { id: true, slug: true, name: true, costCenter: true }, orderBy: { name: "asc" } }),
    prisma.cluster.findMany({ where: { missingSince: null }, select: { id: true, name: true, location: true, environment: true }, orderBy: { name: "asc" } }),
    loadPolicies(prisma),
    prisma.namespace.findMany({ where: { status: { in: activeStatuses } }, select: { clusterId: true, teamId: true, name: true, environment: true } }),
    prisma.namespaceRequest.findMany({
      where: { status: "pending", kind: "create" },
      select: { clusterId: true, teamId: true, name: true, cluster: { select: { environment: true } } },
    }),
  ]);
  const mine = allTeams.filter((team) => actsForTeam(actor, team.id));
  const takenNames: Record<string, string[]> = {};
  const teamCounts: Record<string, Partial<Record<Environment, number>>> = {};
  const count = (teamId: string, environment: string | null) => {
    if (!environment) return;
    const counts = (teamCounts[teamId] ??= {});
    counts[environment as Environment] = (counts[environment as Environment] ?? 0) + 1;
  };
  for (const n of namespaces) {
    (takenNames[n.clusterId] ??= []).push(n.name);
    count(n.teamId, n.environment);
  }
  for (const r of pending) {
    (takenNames[r.clusterId] ??= []).push(r.name);
    count(r.teamId, r.cluster.environment);
  }
  return {
    teams: mine,
    allTeams: allTeams.map(({ slug, name }) => ({ slug, name })),
    clusters: clusters.map((c) => ({ ...c, environment: c.environment as Environment | null })),
    policies,
    takenNames,
    teamCounts,
  };
}
