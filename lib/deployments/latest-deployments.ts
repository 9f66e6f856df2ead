// The latest deployment of each service in each namespace, found by
// PostgreSQL. Prisma's `distinct` deduplicates in the client: it reads every
// deployment in the history and keeps the first per pair, so the health cycle
// loaded the whole history every minute. DISTINCT ON reads the unique index
// (serviceId, namespaceId, revision) and returns one id per pair; the caller
// then loads those rows with whatever it selects.
import { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";

export interface LatestDeploymentFilter {
  /** Only deployments that were applied to the cluster (startedAt set). */
  appliedOnly?: boolean;
  /** Only this service. */
  serviceId?: string;
  /** Only namespaces in these statuses. */
  namespaceStatuses?: readonly string[];
  /** Leave out namespaces in these statuses. */
  excludeNamespaceStatuses?: readonly string[];
  /** Leave out retired services. */
  activeServicesOnly?: boolean;
}

/** Ids of the highest-revision deployment per service × namespace that passes the filter. */
export async function latestDeploymentIds(filter: LatestDeploymentFilter): Promise<string[]> {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filter.appliedOnly) conditions.push(Prisma.sql`d."startedAt" IS NOT NULL`);
  if (filter.serviceId) conditions.push(Prisma.sql`d."serviceId" = ${filter.serviceId}::uuid`);
  if (filter.namespaceStatuses) conditions.push(Prisma.sql`n.status IN (${Prisma.join(filter.namespaceStatuses)})`);
  if (filter.excludeNamespaceStatuses) conditions.push(Prisma.sql`n.status NOT IN (${Prisma.join(filter.excludeNamespaceStatuses)})`);
  if (filter.activeServicesOnly) conditions.push(Prisma.sql`s."retiredAt" IS NULL`);
  const rows = await getPrisma().$queryRaw<{ id: string }[]>`
    SELECT DISTINCT ON (d."serviceId", d."namespaceId") d.id
    FROM "Deployment" d
    JOIN "Namespace" n ON n.id = d."namespaceId"
    JOIN "Service" s ON s.id = d."serviceId"
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY d."serviceId", d."namespaceId", d.revision DESC`;
  return rows.map((row) => row.id);
}
