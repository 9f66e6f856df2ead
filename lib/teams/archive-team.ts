import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { forbidden, can, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { toTeamView, type TeamView } from "@/lib/teams/team-view";

/** Archiving keeps the team and its history; its members stop acting for it. */
export async function archiveTeam({ actor, slug }: { actor: Actor; slug: string }): Promise<TeamView> {
  if (!can(actor, "team:archive")) {
    await recordAuditEvent(getPrisma(), { actor, action: "team.archive", resourceType: "team", resourceId: slug, outcome: "denied" });
    throw forbidden("team:archive");
  }
  return getPrisma().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Team" WHERE slug = ${slug} FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", `There is no team "${slug}".`);
    const before = await tx.team.findUniqueOrThrow({ where: { slug } });
    if (before.archivedAt) throw new AppError("conflict", `Team "${slug}" is already archived.`);
    const team = await tx.team.update({ where: { slug }, data: { archivedAt: new Date() } });
    const view = toTeamView(team);
    await recordAuditEvent(tx, {
      actor,
      action: "team.archive",
      resourceType: "team",
      resourceId: team.id,
      outcome: "success",
      before: toTeamView(before),
      after: view,
    });
    return view;
  });
}
