// One resource-hour sample (issue 14): each provisioned namespace's requested
// CPU and memory, read from what Wharf already stores — the ResourceQuota
// usage the namespace reconcile records every two minutes, and the manifests
// of the services' last successful deployments — never from the clusters,
// so a sample costs no Kubernetes call however many namespaces or viewers.
// Each sample adds the sampling interval's hours to that UTC day's row
// (upsert). A namespace whose usage is older than three intervals (its
// cluster unreachable, the reconcile stalled) is not sampled: its time is
// left unsampled rather than guessed. The day's stored allocation is
// refreshed in the sample's transaction (lib/costs/cost-allocation.ts).
// Each cluster's node capacity and its system namespaces' requests, which the
// namespace reconcile reads (record-cluster-capacity.ts), are sampled the same
// way while fresh: capacity into `ClusterCapacityHours`, system namespaces
// into `NamespaceResourceHours` with no team.
import { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import type { Requests } from "@/lib/kubernetes/node-capacity";
import { deploymentRequestHours, namespaceRequestHours, requestHours, utcDay } from "./resource-hours";
import { isSystemNamespace } from "./system-namespaces";
import { refreshCostAllocation } from "./cost-allocation";

export interface SampleSummary {
  /** False when another worker took this interval's sample. */
  sampled: boolean;
  namespaces: number;
  services: number;
  /** Namespaces left out because their usage is stale or unknown. */
  stale: number;
  /** Clusters whose node capacity (and system namespaces) went into this sample. */
  capacities: number;
}

const stateId = 1;

/**
 * Claims this interval's sample: moves the one CostSampleState row to `now` when the last sample is at least an
 * interval old (less 30 s of cron jitter). With many workers exactly one claims each interval.
 */
export async function claimSample(now: Date, intervalSeconds: number): Promise<boolean> {
  const threshold = new Date(now.getTime() - (intervalSeconds - 30) * 1000);
  const rows = await getPrisma().$queryRaw<{ id: number }[]>`
    INSERT INTO "CostSampleState" ("id", "lastSampledAt") VALUES (${stateId}, ${now})
    ON CONFLICT ("id") DO UPDATE SET "lastSampledAt" = EXCLUDED."lastSampledAt"
    WHERE "CostSampleState"."lastSampledAt" <= ${threshold}
    RETURNING "id"`;
  return rows.length > 0;
}

/** Reads the stored usage and adds `intervalSeconds` of it to today's rows. Does not claim; see `sampleResourceHours`. */
export async function recordSample(now: Date, intervalSeconds: number): Promise<Omit<SampleSummary, "sampled">> {
  const prisma = getPrisma();
  const freshSince = new Date(now.getTime() - Math.max(3 * intervalSeconds, 6 * 60) * 1000);
  const [namespaces, capacityRows] = await Promise.all([
    prisma.namespace.findMany({
      where: { activeName: { not: null }, status: { in: ["ready", "decommissioning"] } },
      select: { id: true, clusterId: true, name: true, teamId: true, usage: true, checkedAt: true },
    }),
    prisma.clusterCapacity.findMany({ where: { checkedAt: { gte: freshSince } } }),
  ]);
  const day = new Date(`${utcDay(now)}T00:00:00Z`);
  const capacities = capacityRows.map((row) => ({
    clusterId: row.clusterId,
    ...requestHours(Number(row.cpuMillicores), Number(row.memoryBytes), intervalSeconds),
  }));
  const sampled: { clusterId: string; name: string; teamId: string | null; cpu: number; memory: number }[] = [];
  for (const row of capacityRows) {
    for (const [namespace, requests] of Object.entries(row.systemRequests as Record<string, Requests>)) {
      if (!isSystemNamespace(namespace)) continue;
      const hours = requestHours(requests.cpuMillicores, requests.memoryBytes, intervalSeconds);
      sampled.push({ clusterId: row.clusterId, name: namespace, teamId: null, cpu: hours.cpuCoreHours, memory: hours.memoryGiBHours });
    }
  }
  let stale = 0;
  const byId = new Map<string, { clusterId: string; name: string }>();
  for (const ns of namespaces) {
    const usage = ns.usage as { used?: Record<string, unknown> } | null;
    const hours = ns.checkedAt && ns.checkedAt >= freshSince ? namespaceRequestHours(usage?.used, intervalSeconds) : null;
    if (!hours) {
      stale += 1;
      continue;
    }
    sampled.push({ clusterId: ns.clusterId, name: ns.name, teamId: ns.teamId, cpu: hours.cpuCoreHours, memory: hours.memoryGiBHours });
    byId.set(ns.id, { clusterId: ns.clusterId, name: ns.name });
  }
  // The last successful deployment of each service in each sampled namespace: what its pods request.
  // Found by PostgreSQL (DISTINCT ON), then only those rows read: Prisma's `distinct` would read every succeeded
  // deployment in the history, manifest and all, every sample.
  const latest = byId.size ? await lastSucceededDeploymentIds([...byId.keys()]) : [];
  const deployments = latest.length
    ? await prisma.deployment.findMany({
        where: { id: { in: latest } },
        select: { namespaceId: true, replicas: true, manifest: true, service: { select: { slug: true } } },
      })
    : [];
  const services = deployments.map((d) => ({
    ...byId.get(d.namespaceId)!,
    service: d.service.slug,
    ...deploymentRequestHours(d.manifest, d.replicas, intervalSeconds),
  }));

  await prisma.$transaction(
    async (tx) => {
      if (capacities.length > 0) {
        await tx.$executeRaw`
        INSERT INTO "ClusterCapacityHours" ("clusterId", "day", "cpuCoreHours", "memoryGiBHours", "sampledSeconds", "updatedAt")
        SELECT c."clusterId", ${day}::date, c."cpu", c."memory", ${intervalSeconds}, ${now}
        FROM unnest(${capacities.map((c) => c.clusterId)}::uuid[], ${capacities.map((c) => c.cpuCoreHours)}::float8[],
                    ${capacities.map((c) => c.memoryGiBHours)}::float8[]) AS c("clusterId", "cpu", "memory")
        ON CONFLICT ("clusterId", "day") DO UPDATE SET
          "cpuCoreHours" = "ClusterCapacityHours"."cpuCoreHours" + EXCLUDED."cpuCoreHours",
          "memoryGiBHours" = "ClusterCapacityHours"."memoryGiBHours" + EXCLUDED."memoryGiBHours",
          "sampledSeconds" = "ClusterCapacityHours"."sampledSeconds" + EXCLUDED."sampledSeconds",
          "updatedAt" = EXCLUDED."updatedAt"`;
      }
      if (sampled.length > 0) {
        await tx.$executeRaw`
        INSERT INTO "NamespaceResourceHours" ("clusterId", "namespace", "day", "teamId", "cpuCoreHours", "memoryGiBHours", "sampledSeconds", "updatedAt")
        SELECT s."clusterId", s."namespace", ${day}::date, s."teamId", s."cpu", s."memory", ${intervalSeconds}, ${now}
        FROM unnest(${sampled.map((s) => s.clusterId)}::uuid[], ${sampled.map((s) => s.name)}::text[], ${sampled.map((s) => s.teamId)}::uuid[],
                    ${sampled.map((s) => s.cpu)}::float8[], ${sampled.map((s) => s.memory)}::float8[])
             AS s("clusterId", "namespace", "teamId", "cpu", "memory")
        ON CONFLICT ("clusterId", "namespace", "day") DO UPDATE SET
          "cpuCoreHours" = "NamespaceResourceHours"."cpuCoreHours" + EXCLUDED."cpuCoreHours",
          "memoryGiBHours" = "NamespaceResourceHours"."memoryGiBHours" + EXCLUDED."memoryGiBHours",
          "sampledSeconds" = "NamespaceResourceHours"."sampledSeconds" + EXCLUDED."sampledSeconds",
          "teamId" = EXCLUDED."teamId",
          "updatedAt" = EXCLUDED."updatedAt"`;
      }
      if (services.length > 0) {
        await tx.$executeRaw`
        INSERT INTO "ServiceResourceHours" ("clusterId", "namespace", "service", "day", "cpuCoreHours", "memoryGiBHours")
        SELECT s."clusterId", s."namespace", s."service", ${day}::date, s."cpu", s."memory"
        FROM unnest(${services.map((s) => s.clusterId)}::uuid[], ${services.map((s) => s.name)}::text[], ${services.map((s) => s.service)}::text[],
                    ${services.map((s) => s.cpuCoreHours)}::float8[], ${services.map((s) => s.memoryGiBHours)}::float8[])
             AS s("clusterId", "namespace", "service", "cpu", "memory")
        ON CONFLICT ("clusterId", "namespace", "service", "day") DO UPDATE SET
          "cpuCoreHours" = "ServiceResourceHours"."cpuCoreHours" + EXCLUDED."cpuCoreHours",
          "memoryGiBHours" = "ServiceResourceHours"."memoryGiBHours" + EXCLUDED."memoryGiBHours"`;
      }
      // Today's stored allocation (decision 0035) with this sample in it, in the same transaction.
      if (sampled.length > 0 || services.length > 0 || capacities.length > 0) await refreshCostAllocation(tx, { from: utcDay(now), to: utcDay(now) });
    },
    { timeout: 60_000 },
  );
  return { namespaces: sampled.filter((s) => s.teamId !== null).length, services: services.length, stale, capacities: capacities.length };
}

/** One sample if this interval's is not taken yet. */
export async function sampleResourceHours(options: { now?: Date; intervalMinutes: number }): Promise<SampleSummary> {
  const now = options.now ?? new Date();
  const intervalSeconds = options.intervalMinutes * 60;
  if (!(await claimSample(now, intervalSeconds))) return { sampled: false, namespaces: 0, services: 0, stale: 0, capacities: 0 };
  return { sampled: true, ...(await recordSample(now, intervalSeconds)) };
}

/**
 * The last successful deployment of each service in these namespaces, by PostgreSQL: DISTINCT ON walks the unique
 * index (serviceId, namespaceId, revision). Apart from lib/deployments' latestDeploymentIds, which costs may not import.
 */
async function lastSucceededDeploymentIds(namespaceIds: string[]): Promise<string[]> {
  const rows = await getPrisma().$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON ("serviceId", "namespaceId") id
    FROM "Deployment"
    WHERE status = 'succeeded' AND "namespaceId" IN (${Prisma.join(namespaceIds.map((id) => Prisma.sql`${id}::uuid`))})
    ORDER BY "serviceId", "namespaceId", revision DESC`;
  return rows.map((row) => row.id);
}
