// The cluster's nodes as AKS names them: one system pool of three VM scale
// set instances (`aks-nodepool1-<8 digits>-vmss00000N`) with addresses in
// AKS's default ranges (nodes 10.224.0.0/16, Azure CNI overlay pods
// 10.244.0.0/16). No Node objects are served; pods only carry the names.
import { createHash } from "node:crypto";

export interface Node {
  name: string;
  ip: string;
  index: number;
}

export function clusterNodes(cluster: string, count = 3): Node[] {
  const digits = String(createHash("sha256").update(cluster).digest().readUInt32BE(0) % 100_000_000).padStart(8, "0");
  return Array.from({ length: count }, (_, index) => ({
    name: `aks-nodepool1-${digits}-vmss${String(index).padStart(6, "0")}`,
    ip: `10.224.0.${4 + index}`,
    index,
  }));
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
