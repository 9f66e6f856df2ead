import Link from "next/link";
import type { Metadata } from "next";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { listTeams } from "@/lib/teams/list-teams";
import { listPlatformAdmins, platformAdminsShown } from "@/lib/teams/list-platform-admins";
import { RelativeTime } from "@/components/ui/relative-time";

export const metadata: Metadata = { title: "Teams" };

export default async function TeamsPage() {
  const actor = await requirePermission("team:read");
  const [teams, admins] = await Promise.all([listTeams({ actor }), listPlatformAdmins({ actor })]);
  const mine = new Set(actor.teams.map((team) => team.id));
  return (
    <div className="space-y-6">
      <div className="flex items-end justify-between">
        <div>
          <h1 className="text-3xl font-bold">Teams</h1>
          <p className="text-muted-foreground">Each team is one or more Entra groups. Membership comes from Entra ID at sign-in.</p>
        </div>
        {can(actor, "team:create") && (
          <Link href="/admin/teams" className="text-sm font-medium text-primary underline underline-offset-2">
            Manage teams
          </Link>
        )}
      </div>
      {teams.length === 0 ? (
        <Card>
          <p>
            No teams yet.{" "}
            {can(actor, "team:create") ? "Create the first one under Admin → Teams." : "A platform admin creates teams and maps them to Entra groups."}
          </p>
        </Card>
      ) : (
        <ul className="grid gap-4 md:grid-cols-3">
          {teams.map((team) => (
            <li key={team.id}>
              <Card>
                <Link href={`/teams/${team.slug}`} className="text-lg font-semibold text-primary underline underline-offset-2">
                  {team.name}
                </Link>
                <p className="mt-1 text-sm text-muted-foreground">
                  {team.entraGroupIds.length} Entra group{team.entraGroupIds.length === 1 ? "" : "s"}
                  {team.costCenter ? ` · cost center ${team.costCenter}` : ""}
                </p>
                {mine.has(team.id) && (
                  <Badge variant="success" className="mt-2">
                    Your team
                  </Badge>
                )}
              </Card>
            </li>
          ))}
        </ul>
      )}
      {/* Refusals of what only an admin may do point here (lib/auth/permissions.ts platformAdminsPage). */}
      <Card id="platform-admins" className="scroll-mt-20">
        <CardHeader>
          <CardTitle>Platform admins</CardTitle>
          <CardDescription>
            Ask one of them for what only an admin may do: create or change a team, approve a namespace request, discover clusters, change the policies and
            thresholds. Listed as of their last sign-in to Wharf
            {admins.length === platformAdminsShown ? ` (the first ${platformAdminsShown} by name)` : ""}.
          </CardDescription>
        </CardHeader>
        {admins.length === 0 ? (
          <p>No platform admin has signed in to Wharf yet. Your platform team gives the admin role in Entra ID.</p>
        ) : (
          <ul className="divide-y divide-border text-sm" data-testid="platform-admins">
            {admins.map((admin) => (
              <li key={admin.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2">
                <span className="font-medium">{admin.name}</span>
                <a href={`mailto:${admin.email}`} className="break-all text-primary underline underline-offset-2">
                  {admin.email}
                </a>
                <span className="text-muted-foreground">
                  signed in <RelativeTime iso={admin.lastSignInAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
