import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { DataTable, Row, Cell } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { NamespaceStatusBadge, RequestStatusBadge } from "@/components/namespaces/status-badge";
import { WithdrawButton } from "@/components/namespaces/request-actions";
import { requirePermission } from "@/lib/auth/current-actor";
import { actsForAnyTeam, actsForTeam, can } from "@/lib/auth/permissions";
import { listNamespaceRequests, listNamespaces } from "@/lib/namespaces/list-namespaces";
import { parseQuantity } from "@/lib/kubernetes/quantity";
import { quotaHard } from "@/lib/namespaces/render-namespace";
import type { NamespaceView } from "@/lib/namespaces/namespace-view";

export const metadata: Metadata = { title: "Namespaces" };

/** The fullest share of the quota in use, which is what runs out first. */
function fullest(namespace: NamespaceView): string {
  if (!namespace.usage) return "—";
  const hard = quotaHard(namespace.quota);
  let best: { resource: string; share: number } | null = null;
  for (const [resource, limit] of Object.entries(hard)) {
    const used = parseQuantity(namespace.usage.used[resource] ?? "0") ?? 0;
    const max = parseQuantity(limit) ?? 0;
    if (max > 0 && (!best || used / max > best.share)) best = { resource, share: used / max };
  }
  return best ? `${Math.round(best.share * 100)}% ${best.resource}` : "0%";
}

export default async function NamespacesPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const actor = await requirePermission("namespace:read");
  const { team: teamFilter, cluster: clusterFilter, request: justSent } = await searchParams;
  const mine = actor.teams.map((t) => t.id);
  const [namespaces, requests] = await Promise.all([listNamespaces({ actor }), listNamespaceRequests({ actor, limit: 100 })]);
  const clusters = [...new Set(namespaces.map((n) => n.cluster.name))].sort();
  const shown = namespaces.filter((n) => (teamFilter !== "mine" || mine.includes(n.team.id)) && (!clusterFilter || n.cluster.name === clusterFilter));
  const filterHref = (change: { team?: string | null; cluster?: string | null }) => {
    const params = new URLSearchParams();
    const team = change.team === undefined ? teamFilter : change.team;
    const cluster = change.cluster === undefined ? clusterFilter : change.cluster;
    if (team) params.set("team", team);
    if (cluster) params.set("cluster", cluster);
    return `/namespaces${params.size ? `?${params}` : ""}`;
  };
  const openRequests = requests.filter((r) => r.status === "pending" && actsForTeam(actor, r.team.id));
  const recentlyDecided = requests.filter((r) => r.status !== "pending" && mine.includes(r.team.id) && r.kind === "create" && !r.namespaceId).slice(0, 5);
  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold">Namespaces</h1>
          <p className="text-muted-foreground">
            Each team&apos;s namespaces on AKS, with quota, RBAC and network policy provisioned by Wharf after a platform admin approves.
          </p>
        </div>
        {actsForAnyTeam(actor) ? (
          <Button asChild>
            <Link href="/namespaces/new">Request a namespace</Link>
          </Button>
        ) : (
          <p className="text-sm text-muted-foreground">Join a team to request namespaces.</p>
        )}
      </div>

      {justSent && (
        <p role="status" className="rounded-md border border-success p-3 text-sm">
          Your request was sent. A platform admin decides; you get a notification (the bell, top right) as soon as they do.
        </p>
      )}

      {openRequests.length > 0 && (
        <section className="space-y-2">
          <h2 className="text-xl font-semibold">Waiting for approval</h2>
          <ScrollCard label="Pending namespace requests">
            <DataTable caption="Pending namespace requests" columns={["Namespace", "Team", "Cluster", "Asked", ""]}>
              {openRequests.map((request) => (
                <Row key={request.id} id={request.id} className={request.id === justSent ? "bg-muted" : undefined}>
                  <Cell>
                    <span className="font-mono font-medium">{request.name}</span>
                    <span className="block text-xs text-muted-foreground">
                      {request.kind === "create" ? "new namespace" : request.kind === "change" ? "quota change" : "decommission"}
                    </span>
                  </Cell>
                  <Cell>{request.team.name}</Cell>
                  <Cell>{request.cluster.name}</Cell>
                  <Cell>
                    {request.requestedBy.name}, <RelativeTime iso={request.createdAt} />
                    <span className="block">
                      <RequestStatusBadge status={request.status} />
                    </span>
                  </Cell>
                  <Cell>{can(actor, "namespace:request", { teamId: request.team.id }) && <WithdrawButton requestId={request.id} name={request.name} />}</Cell>
                </Row>
              ))}
            </DataTable>
          </ScrollCard>
        </section>
      )}

      {recentlyDecided.length > 0 && (
        <section className="space-y-2">
          <h2 className="text-xl font-semibold">Recently decided</h2>
          <ul className="space-y-1 text-sm">
            {recentlyDecided.map((request) => (
              <li key={request.id} id={request.id}>
                <span className="font-mono">{request.name}</span> on {request.cluster.name}: <RequestStatusBadge status={request.status} />
                {request.decisionReason ? ` ${request.decisionReason}` : ""}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="space-y-2">
        <div className="flex items-center gap-4">
          <h2 className="text-xl font-semibold">On the clusters</h2>
          <nav aria-label="Filter namespaces" className="flex flex-wrap gap-2 text-sm">
            <Link
              aria-current={teamFilter === "mine" ? "true" : undefined}
              className={teamFilter === "mine" ? "underline" : "text-muted-foreground"}
              href={filterHref({ team: "mine" })}
            >
              My teams
            </Link>
            <Link
              aria-current={teamFilter !== "mine" ? "true" : undefined}
              className={teamFilter !== "mine" ? "underline" : "text-muted-foreground"}
              href={filterHref({ team: null })}
            >
              All teams
            </Link>
            <span aria-hidden className="text-muted-foreground">
              ·
            </span>
            <Link
              aria-current={!clusterFilter ? "true" : undefined}
              className={!clusterFilter ? "underline" : "text-muted-foreground"}
              href={filterHref({ cluster: null })}
            >
              All clusters
            </Link>
            {clusters.map((name) => (
              <Link
                key={name}
                aria-current={clusterFilter === name ? "true" : undefined}
                className={clusterFilter === name ? "underline" : "text-muted-foreground"}
                href={filterHref({ cluster: name })}
              >
                {name}
              </Link>
            ))}
          </nav>
        </div>
        {shown.length === 0 ? (
          <Card>
            {teamFilter === "mine" || clusterFilter
              ? "No namespaces match these filters. Request one; an admin approves it and Wharf sets it up in seconds."
              : "No namespaces yet. A team member requests one; a platform admin approves it."}
          </Card>
        ) : (
          <ScrollCard label="Namespaces">
            <DataTable caption="Namespaces" columns={["Namespace", "Team", "Cluster", "Status", "Quota used", "Drift"]}>
              {shown.map((namespace) => (
                <Row key={namespace.id}>
                  <Cell>
                    <Link className="font-mono font-medium underline-offset-2 hover:underline" href={`/namespaces/${namespace.id}`}>
                      {namespace.name}
                    </Link>
                  </Cell>
                  <Cell>{namespace.team.name}</Cell>
                  <Cell>
                    {namespace.cluster.name} <span className="text-xs text-muted-foreground">({namespace.environment})</span>
                  </Cell>
                  <Cell>
                    <NamespaceStatusBadge status={namespace.status} />
                    {namespace.status === "failed" && namespace.statusMessage && (
                      <span className="mt-1 block max-w-xs text-xs text-destructive">{namespace.statusMessage}</span>
                    )}
                  </Cell>
                  <Cell>{fullest(namespace)}</Cell>
                  <Cell>
                    {namespace.drift.length ? (
                      <span className="text-warning">
                        {namespace.drift.length} difference{namespace.drift.length > 1 ? "s" : ""}
                      </span>
                    ) : namespace.checkedAt ? (
                      "In sync"
                    ) : (
                      "—"
                    )}
                  </Cell>
                </Row>
              ))}
            </DataTable>
          </ScrollCard>
        )}
      </section>
    </div>
  );
}
