import { getPrisma } from "@/lib/db/client";
import { teamsActorActsFor, type UserActor } from "@/lib/auth/permissions";

/** Teams the actor may register services for: their own, or all active teams for admins. */
export async function ownerTeamChoices(actor: UserActor): Promise<{ slug: string; name: string }[]> {
  if (teamsActorActsFor(actor) !== "all") return actor.teams.map(({ slug, name }) => ({ slug, name }));
  return getPrisma().team.findMany({ where: { archivedAt: null }, select: { slug: true, name: true }, orderBy: { name: "asc" } });
}
