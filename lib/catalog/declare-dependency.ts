// One observed call made official: appends a service dependency to a
// service's catalog entry (the map's "add to the catalog"), for the owning
// team, with the permission check and the audit event in the transaction.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { serviceSlug } from "@/lib/catalog/service-input";
import { requestMapRebuild } from "@/lib/jobs/request-map-rebuild";

const declareInput = z.object({ slug: serviceSlug, dependsOn: serviceSlug });

const action = "service.dependency.declare";

/** Declares that `slug` depends on the service `dependsOn`; `added: false` when it already did. */
export async function declareDependency(input: { actor: Actor; slug: string; dependsOn: string }): Promise<{ added: boolean }> {
  const { actor } = input;
  const { slug, dependsOn } = parseInput(declareInput, { slug: input.slug, dependsOn: input.dependsOn });
  if (slug === dependsOn) throw new AppError("invalid_input", "A service does not need to declare calls to itself.", { path: ["dependsOn"] });
  let result: { added: boolean };
  try {
    result = await getPrisma().$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Service" WHERE slug = ${slug} FOR UPDATE`;
      if (locked.length === 0) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
      const service = await tx.service.findUniqueOrThrow({
        where: { slug },
        select: { id: true, ownerTeamId: true, retiredAt: true, dependencies: { orderBy: { position: "asc" } } },
      });
      if (!can(actor, "service:update", { teamId: service.ownerTeamId })) throw forbidden("service:update");
      if (service.retiredAt) throw new AppError("conflict", `Service "${slug}" is retired; retired services cannot be changed.`);
      if (!(await tx.service.findUnique({ where: { slug: dependsOn }, select: { id: true } }))) {
        throw new AppError(
          "invalid_input",
          `There is no service "${dependsOn}" in the catalog to depend on. Register it first, or declare the dependency by hand under Edit.`,
          { path: ["dependsOn"] },
        );
      }
      const before = service.dependencies.map((dependency) => ({ kind: dependency.kind, target: dependency.target }));
      if (before.some((dependency) => dependency.kind === "service" && dependency.target === dependsOn)) return { added: false };
      const position = Math.max(-1, ...service.dependencies.map((dependency) => dependency.position)) + 1;
      await tx.serviceDependency.create({ data: { serviceId: service.id, position, kind: "service", target: dependsOn } });
      await tx.service.update({ where: { id: service.id }, data: { updatedAt: new Date() } });
      await recordAuditEvent(tx, {
        actor,
        action,
        resourceType: "service",
        resourceId: slug,
        outcome: "success",
        before: { dependencies: before },
        after: { dependencies: [...before, { kind: "service", target: dependsOn }] },
        detail: `Declared the observed call to ${dependsOn}.`,
      });
      return { added: true };
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden") {
      await recordAuditEvent(getPrisma(), {
        actor,
        action,
        resourceType: "service",
        resourceId: slug,
        outcome: "denied",
        detail: `Tried to declare a call to ${dependsOn}.`,
      });
    }
    throw error;
  }
  // The map marks the edge declared when it is rebuilt: now, not at the next health cycle.
  if (result.added) await requestMapRebuild(`${slug} declared ${dependsOn}`);
  return result;
}
