import Link from "next/link";
import { Card, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { DeploymentStatusBadge } from "@/components/deployments/status-badge";
import { HealthStateBadge } from "@/components/health/health-state-badge";
import { HealthReasons } from "@/components/health/health-reasons";
import { TrendCharts } from "@/components/health/trend-charts";
import type { ServiceEnvironment } from "@/lib/health/get-service-health";
import { laterEnvironments } from "@/lib/clusters/cluster-view";
import type { TierThresholdsView } from "@/lib/health/get-health-thresholds";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="text-sm">{children}</dd>
    </div>
  );
}

const percent = (value: number | null | undefined) => (value === null || value === undefined ? "—" : `${Math.round(value * 100) / 100} %`);

function Telemetry({ environment, roleName }: { environment: ServiceEnvironment; roleName: string | null }) {
  const t = environment.telemetry;
  if (!roleName) return <span className="text-muted-foreground">No App Insights role name: health from Kubernetes only.</span>;
  if (!t) return <span className="text-muted-foreground">None yet for role {roleName}.</span>;
  if (t.error) return <span className="text-destructive">{t.error}</span>;
  return (
    <span>
      {Math.round(t.requests ?? 0).toLocaleString("en")} requests, {percent(t.failureRatePct)} failed, p95{" "}
      {t.p95DurationMs === null || t.p95DurationMs === undefined ? "—" : `${Math.round(t.p95DurationMs)} ms`}
      {t.availabilityPct !== null && t.availabilityPct !== undefined && <>, availability {percent(t.availabilityPct)}</>}
      <span className="text-muted-foreground"> (last 15 min)</span>
    </span>
  );
}

/** The service page's Environments section: per namespace, what runs, how it is, how it got there, and its last day. */
export function ServiceEnvironments({
  environments,
  thresholds,
  roleName,
  canDeploy,
  slug,
}: {
  environments: ServiceEnvironment[];
  thresholds: TierThresholdsView;
  roleName: string | null;
  canDeploy: boolean;
  slug: string;
}) {
  return (
    <section aria-labelledby="environments-heading" className="space-y-4">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="environments-heading" className="text-2xl font-semibold">
          Environments
        </h2>
        <Link href={`/health?team=${environments[0]?.service.team.slug ?? ""}`} className="text-sm text-primary underline underline-offset-2">
          Health of the team&apos;s services
        </Link>
      </div>
      {environments.length === 0 ? (
        <Card>
          <p className="text-sm">
            Not running in any namespace Wharf knows: health appears here once the service is deployed.
            {canDeploy && (
              <>
                {" "}
                <Link className="text-primary underline underline-offset-2" href={`/catalog/${slug}/deploy`}>
                  Deploy it
                </Link>
                .
              </>
            )}
          </p>
        </Card>
      ) : (
        environments.map((environment) => (
          <Card
            key={environment.namespace.id}
            aria-label={`${environment.environment}: ${environment.namespace.name}`}
            data-testid="environment"
            className="space-y-4"
          >
            <div className="flex flex-wrap items-center gap-3">
              <CardTitle className="mb-0">
                {environment.environment}{" "}
                <Link href={`/namespaces/${environment.namespace.id}`} className="font-mono text-base font-normal text-primary underline underline-offset-2">
                  {environment.namespace.name}
                </Link>
                <span className="text-base font-normal text-muted-foreground"> on {environment.namespace.cluster.name}</span>
              </CardTitle>
              <HealthStateBadge state={environment.state} className="text-sm" />
              {environment.stateSince && !environment.stale && (
                <span className="text-sm text-muted-foreground">
                  since <RelativeTime iso={environment.stateSince} />
                </span>
              )}
            </div>
            {canDeploy && environment.kubernetes?.digest && laterEnvironments(environment.environment).length > 0 && (
              <p>
                <Link
                  href={`/catalog/${slug}/deploy?from=${environment.namespace.id}`}
                  className="text-sm font-medium text-primary underline underline-offset-2"
                  aria-label={
                    `Promote ${environment.kubernetes.tag ?? "this version"} to ${laterEnvironments(environment.environment).join(" or ")}, ` +
                    `from ${environment.namespace.name}`
                  }
                >
                  Promote {environment.kubernetes.tag ?? "this version"} to {laterEnvironments(environment.environment).join(" or ")}
                </Link>
              </p>
            )}
            <dl className="grid grid-cols-[minmax(0,1fr)] gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <Fact label="Version running">
                {environment.kubernetes?.image ? (
                  <span className="font-mono">
                    {environment.kubernetes.tag ?? "untagged"}
                    {environment.kubernetes.digest && (
                      <span className="block truncate text-xs text-muted-foreground" title={environment.kubernetes.digest}>
                        {environment.kubernetes.digest}
                      </span>
                    )}
                    {environment.kubernetes.rollout?.targetTag && environment.kubernetes.rollout.targetTag !== environment.kubernetes.tag && (
                      <span className="block font-sans text-xs text-muted-foreground">
                        {environment.kubernetes.rollout.phase === "failed" ? "rollout" : "rolling out"} to {environment.kubernetes.rollout.targetTag}
                        {environment.kubernetes.rollout.phase === "failed" ? " failed" : ""}
                      </span>
                    )}
                  </span>
                ) : (
                  <span className="text-muted-foreground">{environment.kubernetes?.error ? "Cluster not readable" : "Not seen yet"}</span>
                )}
              </Fact>
              <Fact label="Replicas ready">
                {environment.kubernetes?.desiredReplicas !== undefined ? (
                  <span className="tabular-nums">
                    {environment.kubernetes.readyReplicas ?? 0} of {environment.kubernetes.desiredReplicas}
                    {!!environment.kubernetes.restarts && <span className="text-muted-foreground"> · {environment.kubernetes.restarts} restarts</span>}
                  </span>
                ) : (
                  "—"
                )}
              </Fact>
              <Fact label="Last rollout">
                {environment.lastRollout ? (
                  <span className="space-y-1">
                    <Link href={`/deployments/${environment.lastRollout.id}`} className="text-primary underline underline-offset-2">
                      Revision {environment.lastRollout.revision}
                    </Link>{" "}
                    <DeploymentStatusBadge status={environment.lastRollout.status} reason={environment.lastRollout.reason} />
                    <span className="block text-xs text-muted-foreground">
                      {environment.lastRollout.kind === "rollback" ? "rolled back" : "deployed"} by {environment.lastRollout.requestedBy}{" "}
                      <RelativeTime iso={environment.lastRollout.createdAt} />
                      {environment.lastRollout.approvedBy && <>, approved by {environment.lastRollout.approvedBy}</>}
                    </span>
                  </span>
                ) : (
                  <span className="text-muted-foreground">Not deployed by Wharf</span>
                )}
              </Fact>
              <Fact label="Evaluated">{environment.evaluatedAt ? <RelativeTime iso={environment.evaluatedAt} /> : "never"}</Fact>
            </dl>
            <div className="grid grid-cols-[minmax(0,1fr)] gap-4 lg:grid-cols-2">
              <div className="text-sm">
                <h3 className="mb-1 text-xs text-muted-foreground">Why</h3>
                <HealthReasons entry={environment} />
              </div>
              <div className="text-sm">
                <h3 className="mb-1 text-xs text-muted-foreground">Application Insights{roleName ? ` (role ${roleName})` : ""}</h3>
                <Telemetry environment={environment} roleName={roleName} />
              </div>
            </div>
            <TrendCharts points={environment.trend} thresholds={{ failureRatePct: thresholds.failureRatePct, p95DurationMs: thresholds.p95DurationMs }} />
          </Card>
        ))
      )}
    </section>
  );
}
