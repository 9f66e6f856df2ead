import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { forbidden, can, type Actor } from "@/lib/auth/permissions";
import { toTeamView, type TeamView } from "@/lib/teams/team-view";

export interface TeamMember {
  id: string;
  name: string;
  email: string;
  lastSignInAt: string;
}

/** A team and its members as seen at their last sign-in (Entra is the source of truth for membership). */
export async function getTeam({ actor, slug }: { actor: Actor; slug: string }): Promise<{ team: TeamView; members: TeamMember[] }> {
  if (!can(actor, "team:read")) throw forbidden("team:read");
  const team = await getPrisma().team.findUnique({ where: { slug } });
  if (!team) throw new AppError("not_found", `There is no team "${slug}".`);
  const members = team.entraGroupIds.length
    ? await getPrisma().user.findMany({ where: { groupIds: { hasSome: team.entraGroupIds } }, orderBy: { name: "asc" }, take: 500 })
    : [];
  return {
    team: toTeamView(team),
    members: members.map((user) => ({ id: user.id, name: user.name, email: user.email, lastSignInAt: user.lastSignInAt.toISOString() })),
  };
}
