// A cluster's capacity and its system namespaces' requests, in Wharf's own
// types: the allocatable CPU and memory of every Node (what pods may request;
// the bill pays for every node, ready or cordoned, so all count), and the
// requests of the pods in the given namespaces that hold or will hold a node
// (phase neither Succeeded nor Failed). One list of Nodes and one of Pods per
// namespace; quantities read exactly (`quantityMilli`).
import type { KubeConfig } from "@kubernetes/client-node";
import { listObjects } from "./apply";
import { quantityMilli } from "./quantity";

// A type, not an interface: it is stored as JSON.
export type Requests = {
  cpuMillicores: number;
  memoryBytes: number;
};

export interface ClusterCapacityReading {
  nodes: number;
  cpuMillicores: number;
  memoryBytes: number;
  /** Requests per namespace, only namespaces with running pods. */
  system: Record<string, Requests>;
}

interface NodeShape {
  status?: { allocatable?: Record<string, string> };
}

interface PodShape {
  metadata?: { namespace?: string };
  spec?: { containers?: { resources?: { requests?: Record<string, string> } }[] };
  status?: { phase?: string };
}

const milli = (value: string | undefined) => (value === undefined ? 0n : (quantityMilli(value) ?? 0n));

/** Sum of the nodes' allocatable CPU (millicores) and memory (bytes). */
export function sumAllocatable(nodes: readonly NodeShape[]): Omit<ClusterCapacityReading, "system"> {
  let cpu = 0n;
  let memory = 0n;
  for (const node of nodes) {
    cpu += milli(node.status?.allocatable?.cpu);
    memory += milli(node.status?.allocatable?.memory);
  }
  return { nodes: nodes.length, cpuMillicores: Number(cpu), memoryBytes: Number(memory / 1000n) };
}

/** Requests of the pods that hold a node, per namespace. */
export function sumPodRequests(pods: readonly PodShape[]): Record<string, Requests> {
  const sums = new Map<string, { cpu: bigint; memory: bigint }>();
  for (const pod of pods) {
    if (pod.status?.phase === "Succeeded" || pod.status?.phase === "Failed") continue;
    const namespace = pod.metadata?.namespace ?? "";
    const sum = sums.get(namespace) ?? { cpu: 0n, memory: 0n };
    for (const container of pod.spec?.containers ?? []) {
      sum.cpu += milli(container.resources?.requests?.cpu);
      sum.memory += milli(container.resources?.requests?.memory);
    }
    sums.set(namespace, sum);
  }
  return Object.fromEntries(
    [...sums]
      .filter(([, sum]) => sum.cpu > 0n || sum.memory > 0n)
      .map(([namespace, sum]) => [namespace, { cpuMillicores: Number(sum.cpu), memoryBytes: Number(sum.memory / 1000n) }]),
  );
}

/** Lists the cluster's Nodes and the Pods of `systemNamespaces` (a namespace that does not exist lists nothing). */
export async function readClusterCapacity(config: KubeConfig, systemNamespaces: readonly string[]): Promise<ClusterCapacityReading> {
  const [nodes, ...pods] = await Promise.all([
    listObjects<NodeShape>(config, "v1", "Node"),
    ...systemNamespaces.map((namespace) => listObjects<PodShape>(config, "v1", "Pod", { namespace })),
  ]);
  return { ...sumAllocatable(nodes!), system: sumPodRequests(pods.flat() as PodShape[]) };
}
