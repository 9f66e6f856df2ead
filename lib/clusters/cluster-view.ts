import type { Cluster } from "@/lib/db/generated/client";

export const environments = ["dev", "test", "prod"] as const;
export type Environment = (typeof environments)[number];

/** The environments after `environment` in the order code moves through them; none after prod or for an unknown one. */
export function laterEnvironments(environment: string): string[] {
  const index = (environments as readonly string[]).indexOf(environment);
  return index === -1 ? [] : environments.slice(index + 1);
}

/**
 * A stored environment as Wharf knows it: the database holds only dev, test, prod or null (a CHECK constraint since
 * migration 20261214100000), so this narrows the column's type; anything else would count as untagged rather than
 * break the API's documented enum.
 */
export function environmentOf(stored: string | null): Environment | null {
  return (environments as readonly string[]).includes(stored ?? "") ? (stored as Environment) : null;
}

export interface ClusterView {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  kubernetesVersion: string | null;
  environment: Environment | null;
  reachable: boolean | null;
  lastError: string | null;
  lastCheckedAt: string | null;
  missingSince: string | null;
}

export function toClusterView(cluster: Cluster): ClusterView {
  return {
    id: cluster.id,
    name: cluster.name,
    subscriptionId: cluster.subscriptionId,
    resourceGroup: cluster.resourceGroup,
    location: cluster.location,
    kubernetesVersion: cluster.kubernetesVersion,
    environment: environmentOf(cluster.environment),
    reachable: cluster.reachable,
    lastError: cluster.lastError,
    lastCheckedAt: cluster.lastCheckedAt?.toISOString() ?? null,
    missingSince: cluster.missingSince?.toISOString() ?? null,
  };
}
