// A platform admin registers a pipeline's Entra identity and the teams it
// deploys for. A revoked identity added again is restored with the new
// teams; an active one is a conflict. Audited in the same transaction.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { pipelineIdentityInput } from "./pipeline-identity-input";
import { toPipelineIdentityView, type PipelineIdentityView } from "./pipeline-identity-view";

export async function addPipelineIdentity({ actor, input }: { actor: Actor; input: unknown }): Promise<PipelineIdentityView> {
  const prisma = getPrisma();
  if (!can(actor, "pipeline:manage")) {
    await recordAuditEvent(prisma, { actor, action: "pipeline-identity.add", resourceType: "pipeline-identity", outcome: "denied" });
    throw forbidden("pipeline:manage");
  }
  const data = parseInput(pipelineIdentityInput, input);
  const teams = await prisma.team.findMany({ where: { id: { in: data.teamIds }, archivedAt: null }, select: { id: true, slug: true, name: true } });
  const missing = data.teamIds.filter((id) => !teams.some((team) => team.id === id));
  if (missing.length) throw new AppError("invalid_input", `No active team has the id ${missing.join(", ")}; pick teams from the list.`, { path: ["teamIds"] });
  const byId = new Map(teams.map((team) => [team.id, team]));
  const fields = { objectId: data.objectId ?? null, displayName: data.displayName, teamIds: data.teamIds };

  return prisma.$transaction(async (tx) => {
    // Serialises two admins adding the same client id at once.
    const existing = await tx.pipelineIdentity.findUnique({ where: { clientId: data.clientId } });
    if (existing && !existing.revokedAt) {
      throw new AppError("conflict", `${data.clientId} is already registered as “${existing.displayName}”; revoke it first to change its teams.`, {
        path: ["clientId"],
      });
    }
    const row = existing
      ? await tx.pipelineIdentity.update({
          where: { id: existing.id, revokedAt: { not: null } },
          data: { ...fields, revokedAt: null, revokedByName: null, createdById: actor.kind === "user" ? actor.userId : null, createdByName: actor.name },
        })
      : await tx.pipelineIdentity.create({
          data: { clientId: data.clientId, ...fields, createdById: actor.kind === "user" ? actor.userId : null, createdByName: actor.name },
        });
    const view = toPipelineIdentityView(row, byId);
    await recordAuditEvent(tx, {
      actor,
      action: existing ? "pipeline-identity.restore" : "pipeline-identity.add",
      resourceType: "pipeline-identity",
      resourceId: row.id,
      outcome: "success",
      before: existing
        ? { displayName: existing.displayName, objectId: existing.objectId, teamIds: existing.teamIds, revokedAt: existing.revokedAt }
        : undefined,
      after: { clientId: view.clientId, objectId: view.objectId, displayName: view.displayName, teams: view.teams.map((team) => team.slug) },
    });
    return view;
  });
}
