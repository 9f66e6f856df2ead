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

export async function getService({ actor, slug }: { actor: Actor; slug: string }): Promise<ServiceDetail> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const row = await getPrisma().service.findUnique({ where: { slug }, include: serviceInclude });
  if (!row) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  const service = toServiceView(row);
  const usedSlugs = service.dependencies.flatMap((d) => (d.kind === "service" ? [d.service] : []));
  const [used, dependents, team] = await Promise.all([
    getPrisma().service.findMany({ where: { slug: { in: usedSlugs } }, select: { slug: true, displayName: true, retiredAt: true } }),
    getPrisma().serviceDependency.findMany({
      where: { kind: "service", target: slug, service: { retiredAt: null } },
      select: { service: { select: { slug: true, displayName: true, ownerTeam: { select: { name: true } } } } },
      orderBy: { service: { displayName: "asc" } },
    }),
    getPrisma().team.findUniqueOrThrow({ where: { id: service.ownerTeam.id }, select: { entraGroupIds: true } }),
  ]);
  const bySlug = new Map(used.map((s) => [s.slug, s]));
  const owners = team.entraGroupIds.length
    ? await getPrisma().user.findMany({
        where: { groupIds: { hasSome: team.entraGroupIds } },
        select: { name: true, email: true },
        orderBy: { name: "asc" },
        take: 50,
      })
    : [];
  return {
    service,
    uses: usedSlugs.map((s) => ({ slug: s, displayName: bySlug.get(s)?.displayName ?? null, retired: Boolean(bySlug.get(s)?.retiredAt) })),
    usedBy: dependents.map((d) => ({ slug: d.service.slug, displayName: d.service.displayName, ownerTeam: d.service.ownerTeam.name })),
    owners,
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
