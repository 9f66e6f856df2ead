import { getPrisma } from "@/lib/db/client";
import { forbidden, can, type Actor } from "@/lib/auth/permissions";
import { toTeamView, type TeamView } from "@/lib/teams/team-view";

export async function listTeams({ actor, includeArchived = false }: { actor: Actor; includeArchived?: boolean }): Promise<TeamView[]> {
  if (!can(actor, "team:read")) throw forbidden("team:read");
  const teams = await getPrisma().team.findMany({ where: includeArchived ? {} : { archivedAt: null }, orderBy: { name: "asc" } });
  return teams.map(toTeamView);
}
