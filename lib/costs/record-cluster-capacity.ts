// Each cluster's node capacity and its system namespaces' requests, read by
// the namespace reconcile (every two minutes, one Node list and one Pod list
// per system namespace per cluster) and stored in `ClusterCapacity`. The
// resource-hour sample (sample-resource-hours.ts) turns a fresh reading into
// capacity hours and system namespaces' hours; a stale one (the cluster away)
// is not sampled, so that time has no capacity rather than a guessed one.
// Every known cluster is read, with Wharf namespaces on it or not: its bill
// is allocated either way. One failing cluster keeps its last reading and
// says why; the others are read.
import { getPrisma } from "@/lib/db/client";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { readClusterCapacity } from "@/lib/kubernetes/node-capacity";
import { describeClusterError } from "@/lib/kubernetes/probe";
import { systemNamespaceNames } from "./system-namespaces";

export interface CapacityReadResult {
  name: string;
  nodes?: number;
  error?: string;
}

export async function recordClusterCapacities({ clusterId, now = new Date() }: { clusterId?: string; now?: Date } = {}): Promise<CapacityReadResult[]> {
  const prisma = getPrisma();
  const clusters = await prisma.cluster.findMany({
    where: { missingSince: null, ...(clusterId && { id: clusterId }) },
    select: { id: true, name: true, subscriptionId: true, resourceGroup: true },
  });
  return Promise.all(
    clusters.map(async (cluster) => {
      try {
        const reading = await readClusterCapacity(await clusterKubeConfig(cluster), systemNamespaceNames);
        const row = {
          nodes: reading.nodes,
          cpuMillicores: BigInt(reading.cpuMillicores),
          memoryBytes: BigInt(reading.memoryBytes),
          systemRequests: reading.system,
          checkedAt: now,
        };
        await prisma.clusterCapacity.upsert({ where: { clusterId: cluster.id }, create: { clusterId: cluster.id, ...row }, update: row });
        return { name: cluster.name, nodes: reading.nodes };
      } catch (error) {
        return { name: cluster.name, error: error instanceof Error ? error.message : describeClusterError(error) };
      }
    }),
  );
}
