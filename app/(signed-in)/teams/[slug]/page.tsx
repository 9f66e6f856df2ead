import { notFound } from "next/navigation";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { requirePermission } from "@/lib/auth/current-actor";
import { getTeam } from "@/lib/teams/get-team";
import { isAppError } from "@/lib/errors";
import { can } from "@/lib/auth/permissions";
import { getTeamCostBudget } from "@/lib/costs/get-team-cost-budget";
import { TeamBudgetCard } from "@/components/costs/team-budget-card";

export default async function TeamPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePermission("team:read");
  const result = await getTeam({ actor, slug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const { team, members } = result;
  // Cost is the team's and admins' to see (cost:read); others see the team without it.
  const cost = can(actor, "cost:read", { teamId: team.id }) ? await getTeamCostBudget({ actor, slug: team.slug }) : null;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">{team.name}</h1>
        <p className="text-muted-foreground">
          Slug <code>{team.slug}</code>
          {team.costCenter ? ` · cost center ${team.costCenter}` : ""}
          {team.archivedAt && (
            <Badge variant="warning" className="ml-2">
              Archived
            </Badge>
          )}
        </p>
      </div>
      {cost && <TeamBudgetCard figures={cost} />}
      <Card>
        <CardHeader>
          <CardTitle>Members</CardTitle>
          <CardDescription>People in this team&apos;s Entra groups, as seen when they last signed in to Wharf.</CardDescription>
        </CardHeader>
        {members.length === 0 ? (
          <p>Nobody from these groups has signed in to Wharf yet.</p>
        ) : (
          <table className="w-full text-sm">
            <thead className="text-left text-muted-foreground">
              <tr>
                <th className="py-2 font-medium">Name</th>
                <th className="py-2 font-medium">Email</th>
                <th className="py-2 font-medium">Last sign-in</th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <tr key={member.id} className="border-t border-border">
                  <td className="py-2">{member.name}</td>
                  <td className="py-2">{member.email}</td>
                  <td className="py-2">
                    <RelativeTime iso={member.lastSignInAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
      <Card>
        <CardTitle>Entra groups</CardTitle>
        <ul className="font-mono text-sm">
          {team.entraGroupIds.map((id) => (
            <li key={id}>{id}</li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
