"use client";
// /health's live part: the counts, workspace errors and the table, refetched
// when the poller announces a cycle on the change feed (and polled every
// cycle as a fallback, every 15 s while the feed is down). A failed refetch
// keeps the last good data on screen and says how old it is.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, Radio, RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { useChangeFeed } from "@/components/shell/use-change-feed";
import { HealthStateBadge, healthLook } from "@/components/health/health-state-badge";
import { HealthReasons } from "@/components/health/health-reasons";
import { callApi } from "@/lib/api/client-fetch";
import { healthChangeTopic, type HealthEntry } from "@/lib/health/health-view";
import type { HealthList } from "@/lib/health/list-service-health";
import { healthStates, type HealthState } from "@/lib/health/types";

export type HealthFilters = Partial<Record<"team" | "environment" | "status" | "tier" | "sort" | "page" | "pageSize", string>>;

function query(filters: HealthFilters, change: HealthFilters = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...change })) if (value) params.set(key, value);
  return params.toString();
}

export function healthHref(filters: HealthFilters, change: HealthFilters = {}): string {
  const text = query(filters, change);
  return text ? `/health?${text}` : "/health";
}

const shortDigest = (digest: string | null | undefined) => (digest ? digest.replace(/^sha256:/, "").slice(0, 12) : null);

export function HealthVersion({ entry }: { entry: Pick<HealthEntry, "kubernetes"> }) {
  const k8s = entry.kubernetes;
  if (!k8s || k8s.error || !k8s.image) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="font-mono text-xs" title={k8s.digest ? `${k8s.image}@${k8s.digest}` : k8s.image}>
      {k8s.tag ?? "untagged"}
      {k8s.digest && <span className="block text-muted-foreground">{shortDigest(k8s.digest)}</span>}
    </span>
  );
}

export function HealthReplicas({ entry }: { entry: Pick<HealthEntry, "kubernetes"> }) {
  const k8s = entry.kubernetes;
  if (!k8s || k8s.desiredReplicas === undefined) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="tabular-nums" aria-label={`${k8s.readyReplicas ?? 0} of ${k8s.desiredReplicas} replicas ready`}>
      {k8s.readyReplicas ?? 0}/{k8s.desiredReplicas}
    </span>
  );
}

function Counts({ counts, filters }: { counts: Record<HealthState, number>; filters: HealthFilters }) {
  return (
    <nav aria-label="Counts per state" className="grid grid-cols-2 gap-3 md:grid-cols-4">
      {(["unhealthy", "degraded", "unknown", "healthy"] as const).map((state) => {
        const { Icon, label } = healthLook[state];
        const active = filters.status === state;
        return (
          <Link
            key={state}
            href={healthHref(filters, { status: active ? undefined : state, page: undefined })}
            aria-current={active ? "true" : undefined}
            data-testid={`count-${state}`}
            className={
              "rounded-lg border bg-card p-4 shadow-sm hover:bg-muted focus-visible:outline-none focus-visible:ring-2 " +
              `focus-visible:ring-ring ${active ? "border-primary ring-1 ring-primary" : "border-border"}`
            }
          >
            <span className="flex items-center gap-2 text-sm font-medium text-muted-foreground">
              <Icon className="h-4 w-4" aria-hidden /> {label}
            </span>
            <span className="text-3xl font-bold tabular-nums">{counts[state]}</span>
          </Link>
        );
      })}
    </nav>
  );
}

export function HealthBoard({ initial, filters }: { initial: HealthList; filters: HealthFilters }) {
  const key = ["health", query(filters)];
  const live = useChangeFeed([healthChangeTopic], key);
  const result = useQuery({
    queryKey: key,
    queryFn: () => callApi<HealthList>(`/api/v1/health?${query(filters)}`),
    initialData: initial,
    // The server just read it: no refetch on mount, only on a notice, the interval, or focus.
    initialDataUpdatedAt: Date.parse(initial.generatedAt),
    staleTime: 10_000,
    refetchInterval: live ? initial.pollSeconds * 1000 : 15_000,
  });
  const list = result.data;
  const filtered = healthStates.some((state) => filters.status === state) || Boolean(filters.team || filters.environment || filters.tier);
  const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
  const first = (list.page - 1) * list.pageSize + 1;
  return (
    <div className="space-y-4">
      <Counts counts={list.counts} filters={filters} />
      <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground" aria-live="polite">
        <Radio className="h-4 w-4" aria-hidden />
        <span>
          {live ? "Live: updates after every poll" : "Refreshing every 15 s"} · evaluated every {list.pollSeconds} s · read{" "}
          <RelativeTime iso={list.generatedAt} />
        </span>
        {result.isFetching && <RefreshCw className="h-3.5 w-3.5 motion-safe:animate-spin" aria-label="Refreshing" />}
      </p>
      {result.isError && (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded-md border border-destructive p-3 text-sm">
          <AlertTriangle className="h-4 w-4 text-destructive" aria-hidden />
          <span>
            Could not refresh health: {(result.error as Error).message} Showing what was read <RelativeTime iso={list.generatedAt} />.
          </span>
          <Button size="sm" variant="outline" onClick={() => void result.refetch()}>
            Try again
          </Button>
        </div>
      )}
      {list.workspaces.length > 0 && (
        <div role="alert" className="space-y-1 rounded-md border border-warning bg-warning-muted p-3 text-sm text-warning-muted-foreground">
          <p className="flex items-center gap-2 font-medium">
            <AlertTriangle className="h-4 w-4" aria-hidden />{" "}
            {list.workspaces.length === 1 ? "A Log Analytics workspace" : `${list.workspaces.length} Log Analytics workspaces`} could not be queried; telemetry
            of their services is older than it should be.
          </p>
          <ul className="list-disc pl-6">
            {list.workspaces.map((workspace) => (
              <li key={workspace.name}>
                <span className="font-mono">{workspace.name}</span>: {workspace.lastError}
                {workspace.lastSuccessAt ? (
                  <>
                    {" "}
                    (last success <RelativeTime iso={workspace.lastSuccessAt} />)
                  </>
                ) : (
                  " (never queried successfully)"
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {list.entries.length === 0 ? (
        <Card>
          {filtered ? (
            <p>
              Nothing matches these filters.{" "}
              <Link className="text-primary underline underline-offset-2" href="/health">
                Clear the filters
              </Link>
              .
            </p>
          ) : (
            <p>
              No health yet. Wharf evaluates every service it has deployed, in each namespace, every {list.pollSeconds} s: deploy a service from its{" "}
              <Link className="text-primary underline underline-offset-2" href="/catalog">
                catalog page
              </Link>{" "}
              and it appears here within a cycle.
            </p>
          )}
        </Card>
      ) : (
        <ScrollCard label="Health of every service">
          <DataTable
            caption="Health of every service in every environment, worst first"
            columns={["Service", "Environment", "Health", "Why", "Version", "Ready", "Evaluated"]}
          >
            {list.entries.map((entry) => (
              <Row key={`${entry.service.id}-${entry.namespace.id}`} data-testid="health-row" data-state={entry.state}>
                <Cell className="min-w-40">
                  <Link href={`/catalog/${entry.service.slug}`} className="font-medium text-primary underline underline-offset-2">
                    {entry.service.displayName}
                  </Link>
                  <span className="block text-xs text-muted-foreground">
                    {entry.service.team.name} · {entry.service.tier}
                  </span>
                </Cell>
                <Cell>
                  {entry.environment}
                  <span className="block font-mono text-xs text-muted-foreground">
                    {entry.namespace.name} · {entry.namespace.cluster.name}
                  </span>
                </Cell>
                <Cell className="whitespace-nowrap">
                  <HealthStateBadge state={entry.state} />
                  {entry.stateSince && !entry.stale && (
                    <span className="block text-xs text-muted-foreground">
                      since <RelativeTime iso={entry.stateSince} />
                    </span>
                  )}
                </Cell>
                {/* A floor under the widest columns: on a phone the table scrolls sideways in its card instead of wrapping reasons a word per line. */}
                <Cell className="min-w-64 max-w-md">
                  <HealthReasons entry={entry} compact />
                </Cell>
                <Cell>
                  <HealthVersion entry={entry} />
                </Cell>
                <Cell>
                  <HealthReplicas entry={entry} />
                </Cell>
                <Cell className="whitespace-nowrap">{entry.evaluatedAt ? <RelativeTime iso={entry.evaluatedAt} /> : "never"}</Cell>
              </Row>
            ))}
          </DataTable>
        </ScrollCard>
      )}
      {list.total > 0 && (
        <nav aria-label="Pages" className="flex flex-wrap items-center gap-4 text-sm">
          <span className="text-muted-foreground" data-testid="health-range">
            {list.entries.length > 0 ? `${first}–${first + list.entries.length - 1} of ${list.total}` : `none on page ${list.page} of ${pages}`} · page{" "}
            {Math.min(list.page, pages)} of {pages}
          </span>
          {list.page > 1 && (
            <Link
              className="font-medium text-primary underline underline-offset-2"
              href={healthHref(filters, { page: list.page - 1 > 1 ? String(Math.min(list.page - 1, pages)) : undefined })}
            >
              Previous page
            </Link>
          )}
          {list.page < pages && (
            <Link className="font-medium text-primary underline underline-offset-2" href={healthHref(filters, { page: String(list.page + 1) })}>
              Next page
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}
