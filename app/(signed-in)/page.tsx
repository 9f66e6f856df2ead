import Link from "next/link";
import { Card, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { requireActor } from "@/lib/auth/current-actor";
import { roleLabel } from "@/lib/auth/permissions";

export default async function HomePage() {
  const actor = await requireActor();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Welcome, {actor.name}</h1>
        <p className="mt-1 text-muted-foreground">
          Signed in as {actor.email} · <span data-testid="home-role">{roleLabel(actor)}</span>
        </p>
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <Card>
          <CardTitle>Your teams</CardTitle>
          {actor.teams.length === 0 ? (
            <p className="text-muted-foreground">
              You are not in any team&apos;s Entra group yet, so you can read everything but change nothing. Ask your team lead to add you to the team&apos;s group, then sign in again.
            </p>
          ) : (
            <ul className="space-y-2">
              {actor.teams.map((team) => (
                <li key={team.id}>
                  <Link className="font-medium text-primary underline-offset-4 hover:underline" href={`/teams/${team.slug}`}>
                    {team.name}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card>
          <CardTitle>What you can do</CardTitle>
          <ul className="space-y-2 text-sm">
            <li>
              <Badge tone="info">Teams</Badge> See every team and who is in it.
            </li>
            {actor.isAdmin && (
              <li>
                <Badge tone="warning">Admin</Badge> Create and archive teams, map them to Entra groups, and read the audit log.
              </li>
            )}
          </ul>
          <p className="mt-4 text-sm text-muted-foreground">The catalog, namespaces, deployments, health, map, cost and wall boards arrive in the coming releases.</p>
        </Card>
      </div>
    </div>
  );
}
