import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { serviceInclude, toServiceView, type ServiceView } from "@/lib/catalog/service-view";

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

/** `owners: false` (the API, which does not return them) skips reading the team's people. */
export async function getService({ actor, slug, owners = true }: { actor: Actor; slug: string; owners?: boolean }): Promise<ServiceDetail> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const row = await getPrisma().service.findUnique({ where: { slug }, include: serviceInclude });
  if (!row) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  const service = toServiceView(row);
  const usedSlugs = service.dependencies.flatMap((d) => (d.kind === "service" ? [d.service] : []));
  const [used, usedBy, people] = await Promise.all([
    usedSlugs.length ? getPrisma().service.findMany({ where: { slug: { in: usedSlugs } }, select: { slug: true, displayName: true, retiredAt: true } }) : [],
    // One statement: through Prisma's relations this was three (dependencies, their services, the services' teams).
    getPrisma().$queryRaw<ServiceDetail["usedBy"]>`
      SELECT s.slug, s."displayName", t.name AS "ownerTeam"
      FROM "ServiceDependency" d JOIN "Service" s ON s.id = d."serviceId" JOIN "Team" t ON t.id = s."ownerTeamId"
      WHERE d.kind = 'service' AND d.target = ${slug} AND s."retiredAt" IS NULL
      ORDER BY s."displayName" ASC, s.slug ASC`,
    owners ? teamOwners(service.ownerTeam.id) : [],
  ]);
  const bySlug = new Map(used.map((s) => [s.slug, s]));
  return {
    service,
    uses: usedSlugs.map((s) => ({ slug: s, displayName: bySlug.get(s)?.displayName ?? null, retired: Boolean(bySlug.get(s)?.retiredAt) })),
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
