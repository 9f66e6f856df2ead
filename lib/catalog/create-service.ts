import { getPrisma } from "@/lib/db/client";
import { Prisma } from "@/lib/db/generated/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { serviceInput, type ParsedService, type ServiceInput } from "@/lib/catalog/service-input";
import { serviceInclude, toServiceView, type ServiceView } from "@/lib/catalog/service-view";
import { checkRegistry, replaceDependencies, resolveOwnerTeam, serviceData } from "@/lib/catalog/save-service";

/** Inside a caller's transaction: the import writes many services at once. */
export async function createServiceInTransaction(tx: Prisma.TransactionClient, actor: Actor, service: ParsedService): Promise<ServiceView> {
  const owner = await resolveOwnerTeam(tx, service.ownerTeam);
  if (!can(actor, "service:create", { teamId: owner.id })) throw forbidden("service:create");
  const existing = await tx.service.findUnique({ where: { slug: service.slug }, select: { retiredAt: true } });
  if (existing) {
    throw new AppError(
      "conflict",
      existing.retiredAt
        ? `The slug "${service.slug}" belonged to a service that was retired; slugs ` +
            "are never reused, so links and history stay unambiguous. Choose another slug."
        : `A service with the slug "${service.slug}" already exists; choose another slug.`,
      { path: ["slug"] },
    );
  }
  const row = await tx.service.create({ data: { slug: service.slug, ...serviceData(service, owner.id) } });
  await replaceDependencies(tx, row.id, service);
  const view = toServiceView(await tx.service.findUniqueOrThrow({ where: { id: row.id }, include: serviceInclude }));
  await recordAuditEvent(tx, { actor, action: "service.create", resourceType: "service", resourceId: view.slug, outcome: "success", after: view });
  return view;
}

export async function createService({ actor, input }: { actor: Actor; input: ServiceInput }): Promise<ServiceView> {
  const service = parseInput(serviceInput, input);
  checkRegistry(service);
  try {
    return await getPrisma().$transaction((tx) => createServiceInTransaction(tx, actor, service));
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("conflict", `A service with the slug "${service.slug}" already exists; choose another slug.`, { path: ["slug"] });
    }
    if (error instanceof AppError && error.code === "forbidden") {
      await recordAuditEvent(getPrisma(), { actor, action: "service.create", resourceType: "service", resourceId: service.slug, outcome: "denied" });
    }
    throw error;
  }
}
