import type { Metadata } from "next";
import { Card, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { ArchiveTeamButton, TeamForm } from "@/components/teams/team-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { listTeams } from "@/lib/teams/list-teams";
import { archiveTeamAction, createTeamAction, updateTeamAction } from "./actions";

export const metadata: Metadata = { title: "Manage teams" };

export default async function AdminTeamsPage() {
  const actor = await requirePermission("team:update");
  const teams = await listTeams({ actor, includeArchived: true });
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Manage teams</h1>
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        <Card className="self-start">
          <CardTitle>New team</CardTitle>
          <TeamForm action={createTeamAction} mode="create" />
        </Card>
        <div className="space-y-4">
          {teams.map((team) => (
            <Card key={team.id} aria-label={`Team ${team.name}`}>
              <div className="mb-3 flex items-center justify-between">
                <h2 className="text-lg font-semibold">
                  {team.name} <code className="text-sm text-muted-foreground">{team.slug}</code>
                </h2>
                {team.archivedAt ? (
                  <Badge variant="warning">Archived</Badge>
                ) : (
                  <ArchiveTeamButton action={archiveTeamAction} slug={team.slug} name={team.name} />
                )}
              </div>
              {!team.archivedAt && <TeamForm action={updateTeamAction} mode="edit" initial={team} />}
            </Card>
          ))}
        </div>
      </div>
    </div>
  );
}
