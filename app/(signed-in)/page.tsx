import Link from "next/link";
import { AlertTriangle } from "lucide-react";
import { RelativeTime } from "@/components/ui/relative-time";
import { HealthStateBadge } from "@/components/health/health-state-badge";
import { CountStrip, DeploymentList, HealthEntryList, KindBadge, Section } from "@/components/health/home-sections";
import { requireActor } from "@/lib/auth/current-actor";
import { roleLabel } from "@/lib/auth/permissions";
import { getHomeDashboard } from "@/lib/health/get-home-dashboard";

const more = (href: string, text: string) => (
  <Link href={href} className="text-sm text-primary underline underline-offset-2">
    {text}
  </Link>
);

export default async function HomePage() {
  const actor = await requireActor();
  const home = await getHomeDashboard({ actor });
  const waiting = home.approvals.length + home.namespaceRequests.length;
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Welcome, {actor.name}</h1>
        <p className="mt-1 text-muted-foreground">
          Signed in as {actor.email} · <span data-testid="home-role">{roleLabel(actor)}</span>
          {actor.teams.length > 0 && (
            <>
              {" "}
              ·{" "}
              {actor.teams.map((team, index) => (
                <span key={team.id}>
                  {index > 0 && ", "}
                  <Link className="text-primary underline underline-offset-4" href={`/teams/${team.slug}`}>
                    {team.name}
                  </Link>
                </span>
              ))}
            </>
          )}
        </p>
      </div>
      {home.workspaces.length > 0 && (
        <p role="alert" className="flex items-start gap-2 rounded-md border border-warning bg-warning-muted p-3 text-sm text-warning-muted-foreground">
          <AlertTriangle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
          <span>
            Telemetry is behind. {home.workspaces.map((workspace) => `${workspace.name}: ${workspace.lastError}`).join("; ")}.{" "}
            <Link href="/health" className="underline">
              See health
            </Link>
          </span>
        </p>
      )}
      {home.fleet && (
        <Section title="Fleet health" testId="fleet" action={more("/health", `All ${home.fleet.total} services × environments`)}>
          <CountStrip counts={home.fleet.counts} />
        </Section>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        {actor.teams.length === 0 && home.fleet ? (
          <Section title="Needs attention in the fleet" testId="fleet-worst" action={more("/health", "All on Health")}>
            {home.fleet.worst.length === 0 ? (
              <p className="text-sm text-muted-foreground">Every service is healthy.</p>
            ) : (
              <HealthEntryList entries={home.fleet.worst} />
            )}
          </Section>
        ) : (
          <Section
            title="Your teams' services"
            testId="my-health"
            action={actor.teams.length > 0 ? more("/health?team=mine", "All of them on Health") : undefined}
          >
            {actor.teams.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                You are not in any team&apos;s Entra group yet, so you can read everything but change nothing. Ask your team lead to add you to the team&apos;s
                group, then sign in again. Meanwhile,{" "}
                <Link className="text-primary underline underline-offset-2" href="/health">
                  see every service&apos;s health
                </Link>
                .
              </p>
            ) : home.myHealth.total === 0 ? (
              <p className="text-sm text-muted-foreground">
                None of your teams&apos; services runs anywhere Wharf watches yet.{" "}
                <Link className="text-primary underline underline-offset-2" href="/catalog?team=mine">
                  Deploy one from the catalog
                </Link>
                ; its health shows here within a minute.
              </p>
            ) : (
              <div className="space-y-3">
                <CountStrip counts={home.myHealth.counts} query="team=mine" />
                <HealthEntryList entries={home.myHealth.entries.slice(0, 8)} />
                {home.myHealth.total > 8 && <p className="text-sm text-muted-foreground">and {home.myHealth.total - 8} more on the Health page.</p>}
              </div>
            )}
          </Section>
        )}
        <Section title={waiting > 0 ? `Waiting for you (${waiting})` : "Waiting for you"} testId="waiting">
          {waiting === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing waits for your decision.</p>
          ) : (
            <div className="space-y-3">
              {home.approvals.length > 0 && (
                <div>
                  <h3 className="text-sm font-medium">Deployments to approve</h3>
                  <DeploymentList deployments={home.approvals} empty="" />
                </div>
              )}
              {home.namespaceRequests.length > 0 && (
                <div>
                  <h3 className="flex items-baseline justify-between text-sm font-medium">
                    Namespace requests {more("/admin/namespace-requests", "Open the queue")}
                  </h3>
                  <ul className="divide-y divide-border text-sm">
                    {home.namespaceRequests.map((request) => (
                      <li key={request.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                        <KindBadge kind={request.kind} />
                        <Link href={`/admin/namespace-requests#${request.id}`} className="font-mono font-medium text-primary underline underline-offset-2">
                          {request.name}
                        </Link>
                        <span className="text-muted-foreground">
                          {request.team} on {request.cluster}, by {request.requestedBy} <RelativeTime iso={request.createdAt} />
                        </span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          )}
        </Section>
        <Section title="Rollouts in progress" testId="rollouts" action={more("/deployments", "All deployments")}>
          <DeploymentList
            deployments={home.rolloutsInProgress}
            empty={actor.isAdmin ? "No rollout is running anywhere." : "None of your teams' rollouts is running."}
          />
        </Section>
        <Section title="Recent failures" testId="failures">
          {home.failedDeployments.length === 0 && home.turnedUnhealthy.length === 0 ? (
            <p className="text-sm text-muted-foreground">No failed deployment in the last 7 days and no service turned unhealthy in the last 24 hours.</p>
          ) : (
            <div className="space-y-3">
              {home.turnedUnhealthy.length > 0 && (
                <ul className="divide-y divide-border text-sm" aria-label="Turned unhealthy in the last 24 hours">
                  {home.turnedUnhealthy.map((turn) => (
                    <li key={`${turn.service.slug}-${turn.namespace}-${turn.at}`} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2">
                      <HealthStateBadge state="unhealthy" />
                      <span className="min-w-0 flex-1">
                        <Link href={`/catalog/${turn.service.slug}`} className="font-medium text-primary underline underline-offset-2">
                          {turn.service.displayName}
                        </Link>{" "}
                        <span className="text-muted-foreground">
                          in {turn.environment}, <RelativeTime iso={turn.at} />
                        </span>
                        {turn.message && <span className="block text-muted-foreground">{turn.message}</span>}
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {home.failedDeployments.length > 0 && <DeploymentList deployments={home.failedDeployments} empty="" />}
            </div>
          )}
        </Section>
      </div>
    </div>
  );
}
