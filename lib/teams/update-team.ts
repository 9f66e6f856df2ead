import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { forbidden, can, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { updateTeamInput, type UpdateTeamInput } from "@/lib/teams/team-input";
import { toTeamView, type TeamChange } from "@/lib/teams/team-view";
import { getConfig } from "@/lib/config";
import { graphDirectory, type Directory } from "@/lib/auth/directory";

/** Renames a team or changes its Entra groups or cost center. */
export async function updateTeam({
  actor,
  slug,
  input,
  directory = graphDirectory(getConfig().identity),
}: {
  actor: Actor;
  slug: string;
  input: UpdateTeamInput;
  directory?: Directory;
}): Promise<TeamChange> {
  if (!can(actor, "team:update")) {
    await recordAuditEvent(getPrisma(), { actor, action: "team.update", resourceType: "team", resourceId: slug, outcome: "denied" });
    throw forbidden("team:update");
  }
  const data = parseInput(updateTeamInput, input);
  const groups = data.entraGroupIds ? await directory.checkGroups(data.entraGroupIds) : ({ verified: true, names: {} } as const);
  const detail = groups.verified ? undefined : `Entra groups not verified: ${groups.reason}`;
  return getPrisma().$transaction(async (tx) => {
    // Lock the row so two admins editing at once produce two clean audit entries.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Team" WHERE slug = ${slug} FOR UPDATE`;
    if (locked.length === 0) throw new AppError("not_found", `There is no team "${slug}".`);
    const before = await tx.team.findUniqueOrThrow({ where: { slug } });
    if (before.archivedAt) throw new AppError("conflict", `Team "${slug}" is archived; archived teams cannot be changed.`);
    const team = await tx.team.update({
      where: { slug },
      data: {
        ...(data.name !== undefined && { name: data.name }),
        ...(data.entraGroupIds !== undefined && { entraGroupIds: data.entraGroupIds }),
        ...(data.costCenter !== undefined && { costCenter: data.costCenter }),
      },
    });
    const view = toTeamView(team);
    await recordAuditEvent(tx, {
      actor,
      action: "team.update",
      resourceType: "team",
      resourceId: team.id,
      outcome: "success",
      before: toTeamView(before),
      after: view,
      detail,
    });
    return { team: view, groupsNotVerified: groups.verified ? undefined : groups.reason };
  });
}
