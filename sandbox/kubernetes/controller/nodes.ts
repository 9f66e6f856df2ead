// The nodes the scheduler binds pods to: the cluster's Node objects (the day's
// nodes of its pools, sandbox/node-pools.ts, served by system-objects.ts),
// with addresses in AKS's default ranges (nodes 10.224.0.0/16, Azure CNI
// overlay pods 10.244.0.0/16, one /24 per node from its `spec.podCIDR`).
// A store without Node objects (a controller started apart from the API
// server, as tests do) gets the system pool's three nodes by the same names.
import { isPlainObject } from "../objects";
import { poolDigits } from "../../node-pools";
import type { ClusterStore } from "../store";
import { nodes as nodeType } from "./types";

export interface Node {
  name: string;
  ip: string;
  /** The third octet of its pods' /24. */
  index: number;
}

export function clusterNodes(cluster: string, count = 3): Node[] {
  return Array.from({ length: count }, (_, index) => ({
    name: `aks-system-${poolDigits({ name: cluster })}-vmss${String(index).padStart(6, "0")}`,
    ip: `10.224.0.${4 + index}`,
    index,
  }));
}

/** The store's ready Nodes, or the default three when it has none. */
export function schedulableNodes(store: ClusterStore): Node[] {
  const stored = store.view(nodeType).flatMap((node, position) => {
    if (isPlainObject(node.spec) && node.spec.unschedulable === true) return [];
    const status = isPlainObject(node.status) ? node.status : {};
    const addresses = Array.isArray(status.addresses) ? status.addresses.filter(isPlainObject) : [];
    const ip = addresses.find((address) => address.type === "InternalIP")?.address;
    const cidr = isPlainObject(node.spec) && typeof node.spec.podCIDR === "string" ? /^10\.244\.(\d+)\.0\/24$/.exec(node.spec.podCIDR) : null;
    return [{ name: node.metadata.name ?? "", ip: typeof ip === "string" ? ip : "", index: cidr ? Number(cidr[1]) : position }];
  });
  return stored.length > 0 ? stored.sort((a, b) => a.index - b.index) : clusterNodes(store.cluster);
}

/** Hands out pod IPs from each node's /24, as the overlay network does. */
export class PodAddresses {
  private readonly next = new Map<number, number>();

  allocate(node: Node): string {
    const host = this.next.get(node.index) ?? 2;
    this.next.set(node.index, host >= 254 ? 2 : host + 1);
    return `10.244.${node.index}.${host}`;
  }
}
