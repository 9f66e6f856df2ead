// A platform admin revokes a pipeline identity: from the next request on,
// its tokens (still valid at Entra for up to an hour) are refused with 403.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { toPipelineIdentityView, type PipelineIdentityView } from "./pipeline-identity-view";

export async function revokePipelineIdentity({ actor, id }: { actor: Actor; id: string }): Promise<PipelineIdentityView> {
  const prisma = getPrisma();
  if (!can(actor, "pipeline:manage")) {
    await recordAuditEvent(prisma, { actor, action: "pipeline-identity.revoke", resourceType: "pipeline-identity", resourceId: id, outcome: "denied" });
    throw forbidden("pipeline:manage");
  }
  if (!z.uuid().safeParse(id).success) throw new AppError("not_found", "There is no such pipeline identity.");
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.pipelineIdentity.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date(), revokedByName: actor.name } });
    const row = await tx.pipelineIdentity.findUnique({ where: { id } });
    if (!row) throw new AppError("not_found", "There is no such pipeline identity.");
    if (count === 0)
      throw new AppError("conflict", `${row.displayName} was already revoked${row.revokedByName ? ` by ${row.revokedByName}` : ""}; nothing was changed.`);
    await recordAuditEvent(tx, {
      actor,
      action: "pipeline-identity.revoke",
      resourceType: "pipeline-identity",
      resourceId: row.id,
      outcome: "success",
      before: { revokedAt: null },
      after: { clientId: row.clientId, displayName: row.displayName, revokedAt: row.revokedAt },
    });
    const teams = await tx.team.findMany({ where: { id: { in: row.teamIds } }, select: { id: true, slug: true, name: true } });
    return toPipelineIdentityView(row, new Map(teams.map((team) => [team.id, team])));
  });
}
