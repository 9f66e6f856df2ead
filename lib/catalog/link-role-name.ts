// A role name seen in telemetry that no catalog entry claims, linked to a
// service from the application map: sets the service's App Insights role
// name (what Edit does, for this one field), with the permission check and the
// audit event in the transaction, then asks for the map to be rebuilt so the
// "unknown service" node becomes the service within seconds.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { serviceSlug } from "@/lib/catalog/service-input";
import { requestMapRebuild } from "@/lib/jobs/request-map-rebuild";

export const linkRoleNameInput = z.object({
  slug: serviceSlug,
  role: z
    .string({ error: "Give the role name as telemetry reports it (AppRoleName)." })
    .trim()
    .min(1, "Give the role name as telemetry reports it (AppRoleName).")
    .max(256, "A role name has at most 256 characters.")
    .refine((role) => !/[\u0000-\u001f\u007f]/.test(role), "A role name cannot contain line breaks, tabs or other control characters."),
  replace: z.boolean().default(false).describe("Replace the role name the service already has; without it, a service that has one is a 409."),
});

export type LinkRoleNameInput = z.input<typeof linkRoleNameInput>;

export interface LinkRoleNameResult {
  slug: string;
  role: string;
  /** The role name the service had before; null when it had none. */
  previousRole: string | null;
  /** false when the service already had exactly this role name. */
  linked: boolean;
}

const action = "service.role.link";

export async function linkRoleName(input: { actor: Actor } & LinkRoleNameInput): Promise<LinkRoleNameResult> {
  const { actor } = input;
  const { slug, role, replace } = parseInput(linkRoleNameInput, { slug: input.slug, role: input.role, replace: input.replace });
  let result: LinkRoleNameResult;
  try {
    result = await getPrisma().$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Service" WHERE slug = ${slug} FOR UPDATE`;
      if (locked.length === 0) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`, { path: ["slug"] });
      const service = await tx.service.findUniqueOrThrow({
        where: { slug },
        select: { id: true, ownerTeamId: true, retiredAt: true, appInsightsRoleName: true },
      });
      if (!can(actor, "service:update", { teamId: service.ownerTeamId })) throw forbidden("service:update");
      if (service.retiredAt) throw new AppError("conflict", `Service "${slug}" is retired; retired services cannot be changed.`);
      const previousRole = service.appInsightsRoleName?.trim() || null;
      if (previousRole === role) return { slug, role, previousRole, linked: false };
      // Two links of one role to two services at once: the second sees the first's claim.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`wharf:role-name:${role}`}, 0))`;
      const claimant = await tx.service.findFirst({
        where: { appInsightsRoleName: role, retiredAt: null, id: { not: service.id } },
        select: { slug: true },
      });
      if (claimant) {
        throw new AppError(
          "conflict",
          `The role "${role}" already belongs to service "${claimant.slug}". Change that service's role name first if the role is really ${slug}'s.`,
          { path: ["role"] },
        );
      }
      if (previousRole && !replace) {
        throw new AppError(
          "conflict",
          `Service "${slug}" already reports as the role "${previousRole}". Link with replace to make "${role}" its role instead; ` +
            `"${previousRole}" then shows as an unknown service if telemetry still reports it.`,
          { path: ["replace"] },
        );
      }
      await tx.service.update({ where: { id: service.id }, data: { appInsightsRoleName: role, updatedAt: new Date() } });
      await recordAuditEvent(tx, {
        actor,
        action,
        resourceType: "service",
        resourceId: slug,
        outcome: "success",
        before: { appInsightsRoleName: previousRole },
        after: { appInsightsRoleName: role },
        detail: `Linked the role "${role}" seen in telemetry to ${slug}.`,
      });
      return { slug, role, previousRole, linked: true };
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "forbidden") {
      await recordAuditEvent(getPrisma(), {
        actor,
        action,
        resourceType: "service",
        resourceId: slug,
        outcome: "denied",
        detail: `Tried to link the role "${role}".`,
      });
    }
    throw error;
  }
  if (result.linked) await requestMapRebuild(`role ${role} linked to ${slug}`);
  return result;
}

export interface LinkableService {
  slug: string;
  name: string;
  role: string | null;
}

/** The active services `actor` may link a role to (its teams' services; every service for an admin), by name. */
export async function listLinkableServices(input: { actor: Actor }): Promise<LinkableService[]> {
  const { actor } = input;
  if (actor.kind !== "user") return [];
  const rows = await getPrisma().service.findMany({
    where: { retiredAt: null, ...(!actor.isAdmin && { ownerTeamId: { in: actor.teams.map((team) => team.id) } }) },
    select: { slug: true, displayName: true, appInsightsRoleName: true },
    orderBy: { displayName: "asc" },
  });
  return rows.map((row) => ({ slug: row.slug, name: row.displayName, role: row.appInsightsRoleName?.trim() || null }));
}
