// The provisioning job: server-side apply of the namespace's objects, in
// order, with field manager `wharf`. Applying the same state again changes
// nothing, so a retry after a crash, a 500 or a dropped connection ends in
// exactly the approved state. 4xx answers (403, 422) fail at once with the
// API server's own message; 429, 5xx and timeouts are retried by the worker.
import type { KubeConfig } from "@kubernetes/client-node";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { applyObject, readObject } from "@/lib/kubernetes/apply";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { asJobError } from "@/lib/clusters/cluster-job-error";
import { withConcurrencyLimit } from "@/lib/jobs/concurrency";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";
import { enqueue } from "@/lib/jobs/enqueue";
import { renderNamespace, managedByLabel, type RenderedObject } from "@/lib/namespaces/render-namespace";
import type { ContainerDefaults, Quota } from "@/lib/namespaces/namespace-input";
import { notifyUser } from "@/lib/notifications/notify";
import { publishChange } from "@/lib/changes/publish-change";

const system = { kind: "system" as const, name: "Wharf provisioner" };

async function loadForWork(namespaceId: string) {
  return getPrisma().namespace.findUnique({ where: { id: namespaceId }, include: { team: true, cluster: true } });
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadForWork>>>;

export function desiredObjects(namespace: Loaded): RenderedObject[] {
  return renderNamespace({
    name: namespace.name,
    team: { slug: namespace.team.slug, entraGroupIds: namespace.team.entraGroupIds },
    costCenter: namespace.costCenter,
    environment: namespace.environment,
    quota: namespace.quota as Quota,
    containerDefaults: namespace.containerDefaults as ContainerDefaults,
    ingressNamespace: getConfig().namespaces.ingressNamespace,
  });
}

/** Refuses to adopt a namespace someone else created by hand: Wharf would take over their workloads. */
async function refuseForeignNamespace(config: KubeConfig, namespace: Loaded): Promise<void> {
  const existing = await readObject<{ metadata?: { labels?: Record<string, string> } }>(config, {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: namespace.name },
  });
  if (!existing) return;
  const labels = existing.metadata?.labels ?? {};
  if (labels["app.kubernetes.io/managed-by"] !== managedByLabel["app.kubernetes.io/managed-by"] || labels["wharf.io/team"] !== namespace.team.slug) {
    throw new PermanentJobError(
      `The namespace ${namespace.name} already exists on ${namespace.cluster.name} and is not managed by Wharf ` +
        `for ${namespace.team.name}; Wharf will not take it over. Delete it on the cluster or request another name.`,
    );
  }
}

export async function provisionNamespace({ namespaceId, attempt }: { namespaceId: string; attempt: number }): Promise<void> {
  const prisma = getPrisma();
  const namespace = await loadForWork(namespaceId);
  if (!namespace) throw new PermanentJobError(`There is no namespace ${namespaceId} to provision.`);
  if (namespace.status !== "provisioning" && namespace.status !== "failed") return;
  await prisma.namespace.update({
    where: { id: namespace.id },
    data: { status: "provisioning", statusMessage: attempt > 1 ? `Applying (attempt ${attempt})` : "Applying", attempts: { increment: 1 }, gaveUpAt: null },
  });
  await publishChange({ kind: "namespace", id: namespace.id });
  const objects = desiredObjects(namespace);
  try {
    await withConcurrencyLimit(`cluster-writes:${namespace.clusterId}`, getConfig().namespaces.writeConcurrencyPerCluster, async () => {
      const config = await clusterKubeConfig(namespace.cluster);
      await refuseForeignNamespace(config, namespace);
      for (const object of objects) await applyObject(config, object);
    });
  } catch (error) {
    const failure = asJobError(error, namespace.cluster);
    if (failure instanceof RetryableJobError) {
      await prisma.namespace.update({ where: { id: namespace.id }, data: { statusMessage: `Retrying: ${failure.message}` } });
      await recordAuditEvent(prisma, {
        actor: system,
        action: "namespace.provision",
        resourceType: "namespace",
        resourceId: namespace.id,
        outcome: "failure",
        detail: `attempt ${attempt}, will retry: ${failure.message}`,
      });
      await publishChange({ kind: "namespace", id: namespace.id });
    }
    throw failure;
  }
  await prisma.$transaction(async (tx) => {
    // Only a namespace still being provisioned becomes ready: a decommission approved meanwhile wins.
    const { count } = await tx.namespace.updateMany({
      where: { id: namespace.id, status: "provisioning" },
      data: { status: "ready", statusMessage: null, readyAt: new Date(), drift: [] },
    });
    if (count === 0) return;
    await recordAuditEvent(tx, {
      actor: system,
      action: "namespace.provision",
      resourceType: "namespace",
      resourceId: namespace.id,
      outcome: "success",
      after: { cluster: namespace.cluster.name, name: namespace.name, applied: objects.map((o) => `${o.kind}/${o.metadata.name}`), quota: namespace.quota },
    });
    const requester = await tx.namespaceRequest.findFirst({
      where: { namespaceId: namespace.id, status: "approved" },
      orderBy: { decidedAt: "desc" },
      select: { requestedById: true },
    });
    if (requester)
      await notifyUser(tx, requester.requestedById, {
        message: `${namespace.name} on ${namespace.cluster.name} is ready.`,
        link: `/namespaces/${namespace.id}`,
      });
  });
  await publishChange({ kind: "namespace", id: namespace.id });
  // Quota usage and drift come from the reconcile; ask for one now rather than at the next schedule.
  await enqueue("namespace.reconcile", { clusterId: namespace.clusterId }).catch(() => undefined);
}

/** The worker gave up (a 4xx, or the retry time spent): the failure is shown with a retry button. */
export async function provisioningGaveUp({ namespaceId, error }: { namespaceId: string; error: Error }): Promise<void> {
  const prisma = getPrisma();
  await prisma.$transaction(async (tx) => {
    const namespace = await tx.namespace.findUnique({ where: { id: namespaceId }, include: { cluster: true } });
    if (!namespace || namespace.status !== "provisioning") return;
    await tx.namespace.update({ where: { id: namespaceId }, data: { status: "failed", statusMessage: error.message, gaveUpAt: new Date() } });
    await recordAuditEvent(tx, {
      actor: system,
      action: "namespace.provision",
      resourceType: "namespace",
      resourceId: namespaceId,
      outcome: "failure",
      detail: error.message,
    });
    const requester = await tx.namespaceRequest.findFirst({
      where: { namespaceId, status: "approved" },
      orderBy: { decidedAt: "desc" },
      select: { requestedById: true },
    });
    if (requester)
      await notifyUser(tx, requester.requestedById, {
        message: `Provisioning ${namespace.name} on ${namespace.cluster.name} failed: ${error.message}`,
        link: `/namespaces/${namespaceId}`,
      });
  });
  await publishChange({ kind: "namespace", id: namespaceId });
}
