import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { serviceInput, type ParsedService, type ServiceInput } from "@/lib/catalog/service-input";
import { serviceInclude, toServiceView, type ServiceView } from "@/lib/catalog/service-view";
import { markCostAllocationStale } from "@/lib/costs/stale-cost-allocation";
import { checkRegistry, replaceDependencies, resolveOwnerTeam, serviceData } from "@/lib/catalog/save-service";

/** Replaces a service's description with `input` (every field; the slug stays). */
export async function updateService({ actor, slug, input }: { actor: Actor; slug: string; input: Omit<ServiceInput, "slug"> }): Promise<ServiceView> {
  const service = parseInput(serviceInput, { ...input, slug });
  checkRegistry(service);
  try {
    return await getPrisma().$transaction((tx) => updateServiceInTransaction(tx, actor, service));
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden") {
      await recordAuditEvent(getPrisma(), { actor, action: "service.update", resourceType: "service", resourceId: slug, outcome: "denied" });
    }
    throw error;
  }
}

/** Inside a caller's transaction: the import writes many services at once. */
export async function updateServiceInTransaction(tx: Prisma.TransactionClient, actor: Actor, service: ParsedService): Promise<ServiceView> {
  const slug = service.slug;
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Service" WHERE slug = ${slug} FOR UPDATE`;
  if (locked.length === 0) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  const before = toServiceView(await tx.service.findUniqueOrThrow({ where: { slug }, include: serviceInclude }));
  if (!can(actor, "service:update", { teamId: before.ownerTeam.id })) throw forbidden("service:update");
  if (before.retiredAt) throw new AppError("conflict", `Service "${slug}" is retired; retired services cannot be changed.`);
  const owner = await resolveOwnerTeam(tx, service.ownerTeam);
  if (owner.id !== before.ownerTeam.id && !can(actor, "service:update", { teamId: owner.id })) {
    throw new AppError("forbidden", `You can hand a service only to a team you belong to; you are not in ${owner.name}.`, { path: ["ownerTeam"] });
  }
  await tx.service.update({ where: { slug }, data: serviceData(service, owner.id) });
  // Cost tagged with this service only goes to its owner: the stored allocation of this month and last is re-made.
  if (owner.id !== before.ownerTeam.id) await markCostAllocationStale(tx, `service ${slug} moved from team ${before.ownerTeam.slug} to ${owner.slug}`);
  await replaceDependencies(tx, before.id, service);
  const after = toServiceView(await tx.service.findUniqueOrThrow({ where: { slug }, include: serviceInclude }));
  await recordAuditEvent(tx, { actor, action: "service.update", resourceType: "service", resourceId: slug, outcome: "success", before, after });
  return after;
}
