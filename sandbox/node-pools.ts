// The nodes of each sandbox cluster's node pools, one day at a time: what the
// bill charges (a scale set per pool, SKU price × node count per day, in
// cost/estate.ts) and what the Kubernetes API serves as Node objects
// (kubernetes/system-objects.ts) come from here, so the capacity Wharf reads
// from the nodes is the capacity the bill pays for. Names as AKS gives them:
// scale set `aks-<pool>-<8 digits>-vmss`, nodes `…-vmss00000N`.
import { createHash } from "node:crypto";
import { managedClusterResource } from "./arm/managed-cluster";
import type { SandboxCluster } from "./clusters";

export interface NodePool {
  name: string;
  count: number;
  minCount?: number;
  maxCount?: number;
  vmSize: string;
  maxPods?: number;
}

export interface VmSize {
  /** What the VM has, as the node's `status.capacity` reports it. */
  capacity: { cpu: string; memory: string };
  /** What pods may request on it once AKS's kube and system reservations are taken (`status.allocatable`). */
  allocatable: { cpu: string; memory: string };
}

// Standard_D4ds_v5: 4 vCPU, 16 GiB. AKS (1.29 and later) reserves 140m CPU
// and 20 MiB × max pods + 50 MiB of memory for the kubelet, plus the 100 MiB
// eviction threshold: about 3860m and 13.2 GiB left for pods.
export const vmSizes: Readonly<Record<string, VmSize>> = {
  Standard_D4ds_v5: { capacity: { cpu: "4", memory: "16393300Ki" }, allocatable: { cpu: "3860m", memory: "13807636Ki" } },
};

export interface PoolNode {
  name: string;
  pool: string;
  vmSize: string;
  /** Position in the pool's scale set (its instance id). */
  index: number;
  /** The node's address in AKS's default node subnet (10.224.0.0/16); pools after the first take the next /24s. */
  ip: string;
  /** The /24 its pods' overlay addresses come from (10.244.<podSubnet>.0/24), unique in the cluster. */
  podSubnet: number;
}

function hashUnit(...parts: string[]): number {
  return createHash("sha256").update(parts.join("|")).digest().readUInt32BE(0) / 0x1_0000_0000;
}

const isoDay = (day: Date) => day.toISOString().slice(0, 10);
const weekend = (day: Date) => day.getUTCDay() === 0 || day.getUTCDay() === 6;

/** The cluster's node pools, as ARM's managedClusters resource lists them. */
export function nodePools(cluster: SandboxCluster): NodePool[] {
  const arm = managedClusterResource(cluster) as { properties: { agentPoolProfiles: NodePool[] } };
  return arm.properties.agentPoolProfiles;
}

/** The 8 digits AKS puts in the names of a cluster's scale sets and nodes. */
export function poolDigits(cluster: Pick<SandboxCluster, "name">): string {
  return String(createHash("sha256").update(cluster.name).digest().readUInt32BE(0) % 100_000_000).padStart(8, "0");
}

export const scaleSetName = (cluster: Pick<SandboxCluster, "name">, pool: Pick<NodePool, "name">) => `aks-${pool.name}-${poolDigits(cluster)}-vmss`;

/** Nodes a pool runs that day: the autoscaler's minimum, more on busy prod weekdays. */
export function nodeCount(cluster: string, pool: Pick<NodePool, "count" | "minCount" | "maxCount">, day: Date, environment: string): number {
  const min = pool.minCount ?? pool.count;
  const max = pool.maxCount ?? pool.count;
  if (max <= min) return min;
  const busy = environment === "prod" && !weekend(day) ? 0.6 : 0.15;
  return min + Math.floor(hashUnit(cluster, "nodes", isoDay(day)) * busy * (max - min + 1));
}

/** The nodes running on `day` (UTC), pool by pool: as many as the bill charges for that day. */
export function clusterNodesOn(cluster: SandboxCluster, day: Date): PoolNode[] {
  let subnet = 0;
  return nodePools(cluster).flatMap((pool, poolIndex) =>
    Array.from({ length: nodeCount(cluster.name, pool, day, cluster.environment) }, (_, index) => ({
      name: `${scaleSetName(cluster, pool)}${String(index).padStart(6, "0")}`,
      pool: pool.name,
      vmSize: pool.vmSize,
      index,
      ip: `10.224.${poolIndex}.${4 + index}`,
      podSubnet: subnet++,
    })),
  );
}
