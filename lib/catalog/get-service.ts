import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { toServiceView, type ServiceRow, type ServiceView } from "@/lib/catalog/service-view";

export interface ServiceDetail {
  service: ServiceView;
  /** Declared service dependencies, with whether each is in the catalog. */
  uses: { slug: string; displayName: string | null; retired: boolean }[];
  /** Services that declare a dependency on this one. */
  usedBy: { slug: string; displayName: string; ownerTeam: string }[];
  owners: { name: string; email: string }[];
  canEdit: boolean;
}

/** The people of the owning team (by its Entra groups), for the service page. */
async function teamOwners(teamId: string): Promise<ServiceDetail["owners"]> {
  const team = await getPrisma().team.findUniqueOrThrow({ where: { id: teamId }, select: { entraGroupIds: true } });
  if (!team.entraGroupIds.length) return [];
  return getPrisma().user.findMany({
    where: { groupIds: { hasSome: team.entraGroupIds } },
    select: { name: true, email: true },
    orderBy: { name: "asc" },
    take: 50,
  });
}

type ServiceWithUses = Omit<ServiceRow, "dependencies"> & {
  dependencies: { kind: string; target: string; displayName: string | null; retired: boolean }[];
};

/**
 * The service, its team and its dependencies, each service dependency with its catalog entry: one statement (through
 * Prisma's relations and a read of the used services, four; each costs the web process about a millisecond).
 */
async function readService(slug: string): Promise<ServiceWithUses | undefined> {
  const rows = await getPrisma().$queryRaw<ServiceWithUses[]>`
    SELECT s.id, s.slug, s."displayName", s.description, s."ownerTeamId", s."repositoryUrl", s.language, s.tier, s.lifecycle, s.tags,
      s.links, s."appInsightsRoleName", s."deploySpec", s."searchText", s."retiredAt", s."createdAt", s."updatedAt",
      json_build_object('id', t.id, 'slug', t.slug, 'name', t.name) AS "ownerTeam",
      COALESCE((
        SELECT json_agg(json_build_object('kind', d.kind, 'target', d.target, 'displayName', u."displayName", 'retired', u."retiredAt" IS NOT NULL)
          ORDER BY d.position)
        FROM "ServiceDependency" d LEFT JOIN "Service" u ON d.kind = 'service' AND u.slug = d.target
        WHERE d."serviceId" = s.id
      ), '[]'::json) AS dependencies
    FROM "Service" s JOIN "Team" t ON t.id = s."ownerTeamId"
    WHERE s.slug = ${slug}`;
  return rows[0];
}

/** `owners: false` (the API, which does not return them) skips reading the team's people. */
export async function getService({ actor, slug, owners = true }: { actor: Actor; slug: string; owners?: boolean }): Promise<ServiceDetail> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const row = await readService(slug);
  if (!row) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  const service = toServiceView({
    ...row,
    dependencies: row.dependencies.map((d, position) => ({ serviceId: row.id, position, kind: d.kind, target: d.target })),
  });
  const [usedBy, people] = await Promise.all([
    // One statement: through Prisma's relations this was three (dependencies, their services, the services' teams).
    getPrisma().$queryRaw<ServiceDetail["usedBy"]>`
      SELECT s.slug, s."displayName", t.name AS "ownerTeam"
      FROM "ServiceDependency" d JOIN "Service" s ON s.id = d."serviceId" JOIN "Team" t ON t.id = s."ownerTeamId"
      WHERE d.kind = 'service' AND d.target = ${slug} AND s."retiredAt" IS NULL
      ORDER BY s."displayName" ASC, s.slug ASC`,
    owners ? teamOwners(service.ownerTeam.id) : [],
  ]);
  return {
    service,
    uses: row.dependencies.flatMap((d) => (d.kind === "service" ? [{ slug: d.target, displayName: d.displayName, retired: d.retired }] : [])),
    usedBy,
    owners: people,
    canEdit: !service.retiredAt && can(actor, "service:update", { teamId: service.ownerTeam.id }),
  };
}

/** The audit trail of one service, newest first. */
export async function serviceHistory({ actor, slug }: { actor: Actor; slug: string }) {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const events = await getPrisma().auditEvent.findMany({
    where: { resourceType: "service", resourceId: slug, outcome: "success" },
    orderBy: { id: "desc" },
    take: 50,
    select: { id: true, at: true, actorName: true, action: true, detail: true },
  });
  return events.map((event) => ({ ...event, id: event.id.toString(), at: event.at.toISOString() }));
}
