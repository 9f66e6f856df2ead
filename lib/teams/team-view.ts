import type { Team } from "@/lib/db/generated/client";

/** What pages, the API and the audit log see of a team. */
export interface TeamView {
  id: string;
  slug: string;
  name: string;
  entraGroupIds: string[];
  costCenter: string | null;
  archivedAt: string | null;
  createdAt: string;
}

export function toTeamView(team: Team): TeamView {
  return {
    id: team.id,
    slug: team.slug,
    name: team.name,
    entraGroupIds: team.entraGroupIds,
    costCenter: team.costCenter,
    archivedAt: team.archivedAt?.toISOString() ?? null,
    createdAt: team.createdAt.toISOString(),
  };
}

/** A change to a team, and whether its Entra groups could be checked against the directory. */
export interface TeamChange {
  team: TeamView;
  groupsNotVerified?: string;
}
