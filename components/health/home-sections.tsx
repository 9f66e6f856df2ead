import Link from "next/link";
import type { ReactNode } from "react";
import { Card, CardTitle } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { DeploymentStatusBadge } from "@/components/deployments/status-badge";
import { HealthStateBadge, healthLook } from "@/components/health/health-state-badge";
import type { DeploymentView } from "@/lib/deployments/deployment-view";
import type { HealthCounts, HealthEntry } from "@/lib/health/health-view";
import { versionText } from "@/lib/deployments/version-text";

export function Section({ title, action, children, testId }: { title: string; action?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card data-testid={testId}>
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <CardTitle className="mb-0">{title}</CardTitle>
        {action}
      </div>
      {children}
    </Card>
  );
}

/** Counts per state, each a link to /health filtered to it. */
export function CountStrip({ counts, query = "" }: { counts: HealthCounts; query?: string }) {
  return (
    <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4" aria-label="Health counts">
      {(["unhealthy", "degraded", "unknown", "healthy"] as const).map((state) => {
        const { Icon, label } = healthLook[state];
        return (
          <li key={state}>
            <Link
              href={`/health?${query}${query ? "&" : ""}status=${state}`}
              className="block rounded-md border border-border p-3 hover:bg-muted focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
            >
              <span className="flex items-center gap-1.5 text-xs font-medium text-muted-foreground">
                <Icon className="h-3.5 w-3.5" aria-hidden /> {label}
              </span>
              <span className="text-2xl font-bold tabular-nums">{counts[state]}</span>
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function HealthEntryList({ entries }: { entries: HealthEntry[] }) {
  return (
    <ul className="divide-y divide-border text-sm">
      {entries.map((entry) => (
        <li key={`${entry.service.id}-${entry.namespace.id}`} className="flex flex-wrap items-start gap-x-3 gap-y-1 py-2">
          <HealthStateBadge state={entry.state} />
          <span className="min-w-0 flex-1">
            <Link href={`/catalog/${entry.service.slug}`} className="font-medium text-primary underline underline-offset-2">
              {entry.service.displayName}
            </Link>{" "}
            <span className="text-muted-foreground">in {entry.environment}</span>
            {entry.reasons[0] && entry.state !== "healthy" && <span className="block text-muted-foreground">{entry.reasons[0].message}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function DeploymentList({ deployments, empty }: { deployments: DeploymentView[]; empty: string }) {
  if (deployments.length === 0) return <p className="text-sm text-muted-foreground">{empty}</p>;
  return (
    <ul className="divide-y divide-border text-sm">
      {deployments.map((deployment) => (
        <li key={deployment.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
          <DeploymentStatusBadge status={deployment.status} reason={deployment.reason} />
          <Link href={`/deployments/${deployment.id}`} className="font-medium text-primary underline underline-offset-2">
            {deployment.service.displayName} revision {deployment.revision}
          </Link>
          <span className="text-muted-foreground">
            <span className="font-mono">{versionText(deployment)}</span> to {deployment.namespace.name} ({deployment.namespace.environment}){" by "}
            {deployment.requestedBy.name}, <RelativeTime iso={deployment.createdAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}

export function KindBadge({ kind }: { kind: string }) {
  return (
    <Badge variant={kind === "decommission" ? "destructive" : "info"}>
      {kind === "create" ? "New namespace" : kind === "change" ? "Quota change" : "Decommission"}
    </Badge>
  );
}
