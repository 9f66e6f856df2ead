// Discovers AKS clusters through ARM and probes each one's API server. One
// unreachable cluster records its own error; the others are unaffected. The
// cluster.discover job runs it hourly as the "Wharf scheduler" system actor
// (lib/clusters/discover-clusters-job.ts); an admin runs it on demand.
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { discoverClusters, type AksCluster } from "@/lib/azure/clusters";
import { describeCredentialError, wharfKubeconfig } from "@/lib/kubernetes/cluster-access";
import { probeCluster, type ClusterProbe } from "@/lib/kubernetes/probe";
import { environments } from "@/lib/clusters/cluster-view";
import { nodeResourceGroupOf } from "@/lib/costs/cost-allocation";
import { markAllCostAllocationStale } from "@/lib/costs/stale-cost-allocation";

export interface RefreshResult {
  found: number;
  reachable: number;
  /** Subscriptions ARM could not list. */
  failures: { subscriptionId: string; message: string }[];
}

async function probe(cluster: AksCluster): Promise<ClusterProbe> {
  try {
    return await probeCluster(await wharfKubeconfig(cluster));
  } catch (error) {
    return { reachable: false, error: describeCredentialError(error) };
  }
}

export async function refreshClusters({ actor }: { actor: Actor }): Promise<RefreshResult> {
  if (!can(actor, "cluster:manage")) {
    await recordAuditEvent(getPrisma(), { actor, action: "cluster.refresh", resourceType: "cluster", outcome: "denied" });
    throw forbidden("cluster:manage");
  }
  const discovery = await discoverClusters(getConfig());
  const probes = await Promise.all(discovery.clusters.map(async (cluster) => ({ cluster, probe: await probe(cluster) })));
  const now = new Date();
  await getPrisma().$transaction(async (tx) => {
    const known = await tx.cluster.findMany({ select: { armId: true, name: true, resourceGroup: true, location: true, nodeResourceGroup: true } });
    // What the stored allocations assumed: the stored name, or AKS's default before one was stored.
    const nodeGroupBefore = new Map(known.map((row) => [row.armId, nodeResourceGroupOf(row).toLowerCase()]));
    const nodeGroupsMoved: string[] = [];
    for (const { cluster, probe: result } of probes) {
      const state = {
        name: cluster.name,
        subscriptionId: cluster.subscriptionId,
        resourceGroup: cluster.resourceGroup,
        location: cluster.location,
        // Kept when ARM leaves it out, as an older API version would: a discovery must not lose where the nodes are billed.
        ...(cluster.nodeResourceGroup && { nodeResourceGroup: cluster.nodeResourceGroup }),
        kubernetesVersion: result.reachable ? result.version.replace(/^v/, "") : cluster.kubernetesVersion,
        reachable: result.reachable,
        lastError: result.reachable ? null : result.error,
        lastCheckedAt: now,
        missingSince: null,
      };
      // A new cluster takes its environment from the ARM tag wharf.io/environment when it has a valid one; an admin's choice is never overwritten.
      const tagged = cluster.tags["wharf.io/environment"];
      const environment = (environments as readonly string[]).includes(tagged ?? "") ? tagged : null;
      await tx.cluster.upsert({ where: { armId: cluster.id }, create: { armId: cluster.id, ...state, environment }, update: state });
      const before = nodeGroupBefore.get(cluster.id);
      if (before !== undefined && cluster.nodeResourceGroup && before !== cluster.nodeResourceGroup.toLowerCase()) {
        nodeGroupsMoved.push(cluster.name);
      }
    }
    // Costs stored with another node resource group put the nodes' bill outside the cluster: every month is allocated again.
    if (nodeGroupsMoved.length) await markAllCostAllocationStale(tx, `node resource group of ${nodeGroupsMoved.join(", ")} discovered`, now);
    // Only subscriptions that answered can say a cluster is gone.
    const answered = [...new Set(discovery.clusters.map((c) => c.subscriptionId))].concat(
      getConfig().azure.subscriptionIds.filter((id) => !discovery.failures.some((f) => f.subscriptionId === id)),
    );
    await tx.cluster.updateMany({
      where: { armId: { notIn: discovery.clusters.map((c) => c.id) }, subscriptionId: { in: answered }, missingSince: null },
      data: { missingSince: now },
    });
    await recordAuditEvent(tx, {
      actor,
      action: "cluster.refresh",
      resourceType: "cluster",
      outcome: discovery.failures.length ? "failure" : "success",
      after: { found: discovery.clusters.length, reachable: probes.filter((p) => p.probe.reachable).length, failures: discovery.failures },
    });
  });
  return { found: discovery.clusters.length, reachable: probes.filter((p) => p.probe.reachable).length, failures: discovery.failures };
}
