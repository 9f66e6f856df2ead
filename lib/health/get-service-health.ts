// One service's health in each namespace where it runs: the snapshot (age
// applied at read time), the last rollout from the Deployment rows, and the
// last 24 hours of figures from `HealthSample`. A namespace Wharf deployed
// to that the poller has not evaluated yet is listed as unknown, said so.
import { z } from "zod";
import { getConfig } from "@/lib/config";
import { getPrisma } from "@/lib/db/client";
import { latestDeploymentIds } from "@/lib/deployments/latest-deployments";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { deploymentKinds, deploymentStatuses } from "@/lib/deployments/deployment-settings";
import { oneOf } from "@/lib/db/one-of";
import { compareHealthEntries, healthEntrySchema, serviceHealthInclude, toHealthEntry, type HealthEntry } from "@/lib/health/health-view";
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
  const activeNamespace = { status: { not: "decommissioned" } };
  const [snapshots, rollouts, samples] = await Promise.all([
    // The service is read above (or given): including it again would cost two statements (its row, its team) on every call.
    prisma.serviceHealth.findMany({ where: { serviceId: service.id, namespace: activeNamespace }, include: { namespace: serviceHealthInclude.namespace } }),
    // A service never deployed has no ids: Prisma would still send one statement per included relation.
    latestDeploymentIds({ serviceId: service.id, excludeNamespaceStatuses: ["decommissioned"] }).then(async (ids) =>
      ids.length === 0
        ? []
        : prisma.deployment.findMany({
            where: { id: { in: ids } },
            include: { namespace: { select: { id: true, name: true, environment: true, cluster: { select: { id: true, name: true } } } } },
          }),
    ),
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
