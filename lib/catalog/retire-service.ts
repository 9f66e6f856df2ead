import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { serviceInclude, toServiceView, type ServiceView } from "@/lib/catalog/service-view";

/** Retiring keeps the service, its history and its slug; it leaves lists and cannot be changed. */
export async function retireService({ actor, slug }: { actor: Actor; slug: string }): Promise<ServiceView> {
  try {
    return await getPrisma().$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Service" WHERE slug = ${slug} FOR UPDATE`;
      if (locked.length === 0) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
      const before = toServiceView(await tx.service.findUniqueOrThrow({ where: { slug }, include: serviceInclude }));
      if (!can(actor, "service:retire", { teamId: before.ownerTeam.id })) throw forbidden("service:retire");
      if (before.retiredAt) throw new AppError("conflict", `Service "${slug}" is already retired.`);
      await tx.service.update({ where: { slug }, data: { retiredAt: new Date() } });
      const after = toServiceView(await tx.service.findUniqueOrThrow({ where: { slug }, include: serviceInclude }));
      await recordAuditEvent(tx, { actor, action: "service.retire", resourceType: "service", resourceId: slug, outcome: "success", before, after });
      return after;
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden") {
      await recordAuditEvent(getPrisma(), { actor, action: "service.retire", resourceType: "service", resourceId: slug, outcome: "denied" });
    }
    throw error;
  }
}
