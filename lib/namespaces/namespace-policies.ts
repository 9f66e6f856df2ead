// The per-environment policy: an admin's row where one exists, the defaults otherwise.
import type { Prisma } from "@/lib/db/generated/client";
import { environments, type Environment } from "@/lib/clusters/cluster-view";
import { defaultPolicies, type EnvironmentPolicy } from "@/lib/namespaces/namespace-policy";
import type { Quota } from "@/lib/namespaces/namespace-input";

type Reader = Pick<Prisma.TransactionClient, "namespacePolicy">;

export async function loadPolicies(db: Reader): Promise<Record<Environment, EnvironmentPolicy>> {
  const rows = await db.namespacePolicy.findMany();
  const policies = { ...defaultPolicies };
  for (const row of rows) {
    if (!(environments as readonly string[]).includes(row.environment)) continue;
    const environment = row.environment as Environment;
    policies[environment] = {
      environment,
      ceilings: { ...defaultPolicies[environment].ceilings, ...(row.ceilings as Partial<Quota>) },
      maxNamespacesPerTeam: row.maxNamespacesPerTeam,
      allowSelfApproval: row.allowSelfApproval,
      requireDeploymentApproval: row.requireDeploymentApproval,
    };
  }
  return policies;
}
