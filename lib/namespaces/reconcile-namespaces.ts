// The periodic reconcile: one list per kind per cluster (never a call per
// namespace), compared with the approved state. It records drift and quota
// usage, and hands stalled provisioning back to the worker. One failing
// cluster records its own error; the others are reconciled.
import { getPrisma } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { listObjects } from "@/lib/kubernetes/apply";
import { describeClusterError } from "@/lib/kubernetes/probe";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { desiredObjects } from "@/lib/namespaces/provision-namespace";
import { findDrift, objectKey, type ClusterObject } from "@/lib/namespaces/find-drift";
import { managedBySelector } from "@/lib/namespaces/render-namespace";
import { enqueueNamespaceWork } from "@/lib/namespaces/namespace-jobs";
import type { QuotaUsage } from "@/lib/namespaces/namespace-view";
import { publishChange } from "@/lib/changes/publish-change";
import { recordClusterCapacities, type CapacityReadResult } from "@/lib/costs/record-cluster-capacity";

const system = { kind: "system" as const, name: "Wharf reconciler" };
/** Provisioning untouched this long has lost its job (a crash before enqueue, a purged queue). */
const stalledAfterMs = 2 * 60_000;

const kinds = [
  ["v1", "Namespace"],
  ["v1", "ResourceQuota"],
  ["v1", "LimitRange"],
  ["rbac.authorization.k8s.io/v1", "RoleBinding"],
  ["networking.k8s.io/v1", "NetworkPolicy"],
] as const;

export interface ReconcileResult {
  clusters: { name: string; namespaces: number; drifted: number; error?: string }[];
  requeued: number;
  /** Each known cluster's nodes and system namespaces' requests, read for cost allocation (lib/costs/record-cluster-capacity.ts). */
  capacity: CapacityReadResult[];
}

export async function reconcileNamespaces({ clusterId, now = new Date() }: { clusterId?: string; now?: Date } = {}): Promise<ReconcileResult> {
  const prisma = getPrisma();
  const stalled = await prisma.namespace.findMany({
    where: {
      status: { in: ["provisioning", "decommissioning"] },
      updatedAt: { lt: new Date(now.getTime() - stalledAfterMs) },
      ...(clusterId && { clusterId }),
    },
    select: { id: true, status: true },
  });
  for (const namespace of stalled) await enqueueNamespaceWork(namespace.status === "provisioning" ? "provision" : "decommission", namespace.id);

  // Read beside the namespaces; a database failure there is reported in the result, never left as an unhandled rejection.
  const capacity = recordClusterCapacities({ clusterId, now }).catch((error: unknown): CapacityReadResult[] => [
    { name: "every cluster", error: error instanceof Error ? error.message : String(error) },
  ]);
  const namespaces = await prisma.namespace.findMany({ where: { status: "ready", ...(clusterId && { clusterId }) }, include: { team: true, cluster: true } });
  const byCluster = new Map<string, typeof namespaces>();
  for (const namespace of namespaces) byCluster.set(namespace.clusterId, [...(byCluster.get(namespace.clusterId) ?? []), namespace]);
  const clusters = await Promise.all(
    [...byCluster.values()].map(async (group) => {
      const cluster = group[0]!.cluster;
      try {
        const config = await clusterKubeConfig(cluster);
        const lists = await Promise.all(
          kinds.map(([apiVersion, kind]) =>
            listObjects<ClusterObject>(config, apiVersion, kind, { labelSelector: managedBySelector }).then((items) =>
              items.map((item) => ({ ...item, kind })),
            ),
          ),
        );
        const actual = new Map(lists.flat().map((object) => [objectKey(object), object]));
        let drifted = 0;
        for (const namespace of group) {
          const drift = findDrift(desiredObjects(namespace), actual);
          if (drift.length) drifted++;
          const quota = actual.get(`ResourceQuota/${namespace.name}/wharf-quota`);
          const usage: QuotaUsage | null = quota?.status ? { hard: quota.status.hard ?? {}, used: quota.status.used ?? {} } : null;
          await recordDrift(namespace.id, namespace.drift as string[] | null, drift, usage, now);
        }
        return { name: cluster.name, namespaces: group.length, drifted };
      } catch (error) {
        const message = error instanceof Error ? error.message : describeClusterError(error);
        await prisma.cluster.update({ where: { id: cluster.id }, data: { lastError: `Reconciling namespaces: ${message}`, lastCheckedAt: now } });
        return { name: cluster.name, namespaces: group.length, drifted: 0, error: message };
      }
    }),
  );
  return { clusters, requeued: stalled.length, capacity: await capacity };
}

async function recordDrift(namespaceId: string, before: string[] | null, drift: string[], usage: QuotaUsage | null, now: Date): Promise<void> {
  const prisma = getPrisma();
  const changed = JSON.stringify(before ?? []) !== JSON.stringify(drift);
  await prisma.$transaction(async (tx) => {
    await tx.namespace.update({
      where: { id: namespaceId },
      data: { drift, usage: usage ? { hard: usage.hard, used: usage.used } : undefined, checkedAt: now },
    });
    if (changed) {
      await recordAuditEvent(tx, {
        actor: system,
        action: drift.length ? "namespace.drift_detected" : "namespace.drift_resolved",
        resourceType: "namespace",
        resourceId: namespaceId,
        outcome: "success",
        before: { drift: before ?? [] },
        after: { drift },
      });
    }
  });
  if (changed) await publishChange({ kind: "namespace", id: namespaceId });
}
