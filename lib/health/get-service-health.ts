// One service's health in each namespace where it runs: the snapshot (age
// applied at read time), the last rollout from the Deployment rows, and the
// last 24 hours of figures from `HealthSample`. A namespace Wharf deployed
// to that the poller has not evaluated yet is listed as unknown, said so.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { deploymentKinds, deploymentStatuses } from "@/lib/deployments/deployment-settings";
import { oneOf } from "@/lib/db/one-of";
import { compareHealthEntries, healthEntrySchema, toHealthEntry, type HealthEntry, type ServiceHealthRow } from "@/lib/health/health-view";
import { bucketSamples, trendPointSchema, type TrendPoint } from "@/lib/health/trend-view";

export const lastRolloutSchema = z.object({
  id: z.string(),
  revision: z.number(),
  kind: z.enum(["deploy", "rollback"]),
  status: z.enum(deploymentStatuses),
  reason: z.string().nullable(),
  image: z.string(),
  imageTag: z.string().nullable(),
  imageDigest: z.string().nullable(),
  requestedBy: z.string(),
  approvedBy: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});

export type LastRollout = z.infer<typeof lastRolloutSchema>;

export const serviceEnvironmentSchema = healthEntrySchema.extend({
  lastRollout: lastRolloutSchema.nullable().describe("The newest deployment of the service to this namespace: who, when, and how it ended."),
  trend: z.array(trendPointSchema).describe("The last 24 hours in 5-minute points, oldest first."),
});

export type ServiceEnvironment = HealthEntry & { lastRollout: LastRollout | null; trend: TrendPoint[] };

const dayMs = 24 * 3600_000;

type HealthService = Parameters<typeof notEvaluated>[0];

/**
 * `service` when the caller has read it already (the API's by-slug route reads the catalog first): two statements fewer.
 * Either way the snapshots are read without their service, which every one of them shares.
 */
export async function getServiceHealth({
  actor,
  slug,
  service: known,
  now = new Date(),
}: {
  actor: Actor;
  slug: string;
  service?: HealthService;
  now?: Date;
}): Promise<ServiceEnvironment[]> {
  if (!can(actor, "health:read")) throw forbidden("health:read");
  const prisma = getPrisma();
  const service =
    known ??
    (await prisma.service.findUnique({
      where: { slug },
      select: { id: true, slug: true, displayName: true, tier: true, appInsightsRoleName: true, ownerTeam: { select: { id: true, slug: true, name: true } } },
    }));
  if (!service) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  const [snapshots, rollouts, samples] = await Promise.all([
    // The service is read above (or given): it is not read again with each snapshot.
    healthSnapshots(service.id),
    latestRollouts(service.id),
    prisma.healthSample.findMany({
      where: { serviceId: service.id, resolution: "minute", at: { gte: new Date(now.getTime() - dayMs), lte: now } },
      orderBy: { at: "asc" },
    }),
  ]);
  const pollSeconds = getConfig().health.pollSeconds;
  const entries = snapshots.map((row) => toHealthEntry({ ...row, service }, now, pollSeconds));
  for (const rollout of rollouts) {
    if (entries.some((entry) => entry.namespace.id === rollout.namespaceId)) continue;
    entries.push(notEvaluated(service, rollout.namespace));
  }
  const lastByNamespace = new Map(rollouts.map((row) => [row.namespaceId, row]));
  return entries.sort(compareHealthEntries).map((entry) => {
    const rollout = lastByNamespace.get(entry.namespace.id);
    return {
      ...entry,
      lastRollout: rollout
        ? {
            id: rollout.id,
            revision: rollout.revision,
            kind: oneOf(deploymentKinds, rollout.kind, "Deployment.kind"),
            status: oneOf(deploymentStatuses, rollout.status, "Deployment.status"),
            reason: rollout.reason,
            image: rollout.image,
            imageTag: rollout.imageTag,
            imageDigest: rollout.imageDigest,
            requestedBy: rollout.requestedByName,
            approvedBy: rollout.approvedByName,
            createdAt: rollout.createdAt.toISOString(),
            finishedAt: rollout.finishedAt?.toISOString() ?? null,
          }
        : null,
      trend: bucketSamples(samples.filter((sample) => sample.namespaceId === entry.namespace.id)),
    };
  });
}

/**
 * The service's snapshots in namespaces that are not decommissioned, each with its namespace and cluster: one
 * statement (through Prisma's relations three, the last two sent even when there is no snapshot).
 */
async function healthSnapshots(serviceId: string): Promise<Omit<ServiceHealthRow, "service">[]> {
  const rows = await getPrisma().$queryRaw<
    (Omit<ServiceHealthRow, "service" | "namespace"> & { namespaceId: string; namespaceName: string; clusterId: string; clusterName: string })[]
  >`
    SELECT h."namespaceId", h.environment, h.state, h.reasons, h."stateSince", h.kubernetes, h.telemetry, h."evaluatedAt",
      n.name AS "namespaceName", c.id AS "clusterId", c.name AS "clusterName"
    FROM "ServiceHealth" h JOIN "Namespace" n ON n.id = h."namespaceId" JOIN "Cluster" c ON c.id = n."clusterId"
    WHERE h."serviceId" = ${serviceId}::uuid AND n.status <> 'decommissioned'`;
  return rows.map(({ namespaceId, namespaceName, clusterId, clusterName, ...row }) => ({
    ...row,
    namespace: { id: namespaceId, name: namespaceName, cluster: { id: clusterId, name: clusterName } },
  }));
}

interface LatestRolloutRow {
  id: string;
  namespaceId: string;
  revision: number;
  kind: string;
  status: string;
  reason: string | null;
  image: string;
  imageTag: string | null;
  imageDigest: string | null;
  requestedByName: string;
  approvedByName: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  namespace: { id: string; name: string; environment: string; cluster: { id: string; name: string } };
}

/**
 * The service's newest deployment in each namespace that is not decommissioned, with the namespace and its cluster:
 * one statement on the (serviceId, namespaceId, revision) index (latestDeploymentIds and Prisma's relations made four).
 */
async function latestRollouts(serviceId: string): Promise<LatestRolloutRow[]> {
  const rows = await getPrisma().$queryRaw<
    (Omit<LatestRolloutRow, "namespace"> & { namespaceName: string; namespaceEnvironment: string; clusterId: string; clusterName: string })[]
  >`
    SELECT DISTINCT ON (d."namespaceId") d.id, d."namespaceId", d.revision, d.kind, d.status, d.reason, d.image, d."imageTag", d."imageDigest",
      d."requestedByName", d."approvedByName", d."createdAt", d."finishedAt",
      n.name AS "namespaceName", n.environment AS "namespaceEnvironment", c.id AS "clusterId", c.name AS "clusterName"
    FROM "Deployment" d JOIN "Namespace" n ON n.id = d."namespaceId" JOIN "Cluster" c ON c.id = n."clusterId"
    WHERE d."serviceId" = ${serviceId}::uuid AND n.status <> 'decommissioned'
    ORDER BY d."namespaceId", d.revision DESC`;
  return rows.map(({ namespaceName, namespaceEnvironment, clusterId, clusterName, ...row }) => ({
    ...row,
    namespace: { id: row.namespaceId, name: namespaceName, environment: namespaceEnvironment, cluster: { id: clusterId, name: clusterName } },
  }));
}

function notEvaluated(
  service: {
    id: string;
    slug: string;
    displayName: string;
    tier: string;
    appInsightsRoleName: string | null;
    ownerTeam: { id: string; slug: string; name: string };
  },
  namespace: { id: string; name: string; environment: string; cluster: { id: string; name: string } },
): HealthEntry {
  return {
    service: {
      id: service.id,
      slug: service.slug,
      displayName: service.displayName,
      tier: service.tier,
      appInsightsRoleName: service.appInsightsRoleName,
      team: service.ownerTeam,
    },
    namespace: { id: namespace.id, name: namespace.name, cluster: namespace.cluster },
    environment: namespace.environment,
    state: "unknown",
    reasons: [
      {
        signal: "dataAge",
        state: "unknown",
        value: null,
        threshold: null,
        since: null,
        message: "Not evaluated yet: Wharf deployed here, and the health poller has not reported on this namespace.",
      },
    ],
    stateSince: null,
    evaluatedAt: null,
    dataAgeSeconds: null,
    stale: true,
    lastKnown: null,
    kubernetes: null,
    telemetry: null,
  };
}
