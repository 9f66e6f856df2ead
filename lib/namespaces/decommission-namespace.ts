// The decommission job: delete the namespace on the cluster, wait until the
// API server says it is gone, then keep the record with its history.
import { getPrisma } from "@/lib/db/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { deleteObject, readObject } from "@/lib/kubernetes/apply";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";
import { asJobError } from "@/lib/clusters/cluster-job-error";
import { managedByLabel } from "@/lib/namespaces/render-namespace";
import { notifyUser } from "@/lib/notifications/notify";
import { publishChange } from "@/lib/changes/publish-change";

const system = { kind: "system" as const, name: "Wharf provisioner" };

export async function decommissionNamespace({ namespaceId }: { namespaceId: string }): Promise<void> {
  const prisma = getPrisma();
  const namespace = await prisma.namespace.findUnique({ where: { id: namespaceId }, include: { cluster: true, team: true } });
  if (!namespace) throw new PermanentJobError(`There is no namespace ${namespaceId} to decommission.`);
  if (namespace.status !== "decommissioning") return;
  const ref = { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace.name } };
  try {
    const config = await clusterKubeConfig(namespace.cluster);
    const existing = await readObject<{ metadata?: { labels?: Record<string, string>; deletionTimestamp?: string } }>(config, ref);
    if (existing && !existing.metadata?.deletionTimestamp) {
      if (existing.metadata?.labels?.["app.kubernetes.io/managed-by"] !== managedByLabel["app.kubernetes.io/managed-by"]) {
        throw new PermanentJobError(
          `The namespace ${namespace.name} on ${namespace.cluster.name} is no longer ` +
            "labelled as managed by Wharf; Wharf will not delete it. Check who changed it.",
        );
      }
      await deleteObject(config, ref);
    }
    if (existing && (await readObject(config, ref))) {
      await prisma.namespace.update({ where: { id: namespace.id }, data: { statusMessage: "Deleting: the cluster is removing what runs in the namespace" } });
      await publishChange({ kind: "namespace", id: namespace.id });
      throw new RetryableJobError(`${namespace.name} is still terminating on ${namespace.cluster.name}`, { retryAfterSeconds: 2 });
    }
  } catch (error) {
    throw asJobError(error, namespace.cluster);
  }
  await prisma.$transaction(async (tx) => {
    const { count } = await tx.namespace.updateMany({
      where: { id: namespace.id, status: "decommissioning" },
      data: { status: "decommissioned", activeName: null, statusMessage: null, decommissionedAt: new Date(), drift: [] },
    });
    if (count === 0) return;
    await recordAuditEvent(tx, {
      actor: system,
      action: "namespace.decommission",
      resourceType: "namespace",
      resourceId: namespace.id,
      outcome: "success",
      before: { status: "decommissioning" },
      after: { status: "decommissioned", cluster: namespace.cluster.name, name: namespace.name },
    });
    const requester = await tx.namespaceRequest.findFirst({
      where: { namespaceId: namespace.id, kind: "decommission", status: "approved" },
      orderBy: { decidedAt: "desc" },
      select: { requestedById: true },
    });
    if (requester)
      await notifyUser(tx, requester.requestedById, {
        message: `${namespace.name} on ${namespace.cluster.name} was deleted; its record stays in Wharf.`,
        link: `/namespaces/${namespace.id}`,
      });
  });
  await publishChange({ kind: "namespace", id: namespace.id });
}

export async function decommissionGaveUp({ namespaceId, error }: { namespaceId: string; error: Error }): Promise<void> {
  const prisma = getPrisma();
  await prisma.$transaction(async (tx) => {
    const namespace = await tx.namespace.findUnique({ where: { id: namespaceId } });
    if (!namespace || namespace.status !== "decommissioning") return;
    // It stays "decommissioning" with the error: the retry button starts the deletion again.
    await tx.namespace.update({ where: { id: namespaceId }, data: { statusMessage: `Decommissioning failed: ${error.message}`, gaveUpAt: new Date() } });
    await recordAuditEvent(tx, {
      actor: system,
      action: "namespace.decommission",
      resourceType: "namespace",
      resourceId: namespaceId,
      outcome: "failure",
      detail: error.message,
    });
  });
  await publishChange({ kind: "namespace", id: namespaceId });
}
