"use client";
// A deployment as it rolls out: pushed on every change through the stream,
// polled every 15 s while in flight (every second while the stream is down),
// every 30 s after. Counts, each pod, the events, and the reason it ended.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { useChangeFeed } from "@/components/shell/use-change-feed";
import { mergeNewer } from "@/lib/changes/merge-newer";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { callApi } from "@/lib/api/client-fetch";
import type { DeploymentView } from "@/lib/deployments/deployment-view";
import type { Cancellation } from "@/lib/deployments/cancel-deployment";
import { DeploymentStatusBadge } from "@/components/deployments/status-badge";
import { FailingPod } from "@/components/deployments/failing-pod";
import { failingPod } from "@/lib/deployments/failing-pod";
import type { RollbackTarget } from "@/lib/deployments/rollback-target";
import { versionText } from "@/lib/deployments/version-text";
import { TagCheckNote } from "./tag-check-note";

export interface DeploymentPermissions {
  /** Member of the owning team or admin: cancel, roll back. */
  member: boolean;
  /** May approve: a member or admin who did not request it. */
  approver: boolean;
  /** May read the pods' logs: a member of the owning team or an admin (decision 0051). */
  logs: boolean;
}

function Count({ label, value, of }: { label: string; value: number; of: number }) {
  return (
    <div className="rounded-md border border-border p-3 text-center">
      <div className="text-3xl font-bold tabular-nums">
        {value}
        <span className="text-lg text-muted-foreground">/{of}</span>
      </div>
      <div className="text-sm text-muted-foreground">{label}</div>
    </div>
  );
}

const secondsBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

export function DeploymentLive({
  initial,
  permissions,
  rollbackTarget,
}: {
  initial: DeploymentView;
  permissions: DeploymentPermissions;
  /** The latest earlier revision that succeeded here, which a rollback returns to; null if none. */
  rollbackTarget: RollbackTarget | null;
}) {
  const client = useQueryClient();
  const router = useRouter();
  const key = ["deployment", initial.id];
  const live = useChangeFeed([`deployment:${initial.id}`], key);
  const query = useQuery({
    queryKey: key,
    queryFn: () => callApi<DeploymentView>(`/api/v1/deployments/${initial.id}`),
    initialData: initial,
    // A poll that answers after a newer push must not put the older state back.
    structuralSharing: (old, next) => (old ? mergeNewer(old as DeploymentView, next as DeploymentView) : next),
    // The stream pushes every change (and a catch-up after it was down); polling is the fallback, quick only while the stream is down.
    refetchInterval: (q) => (q.state.data?.inFlight ? (live ? 15_000 : 1_000) : 30_000),
  });
  const deployment = query.data;
  const approve = useMutation({
    mutationFn: () => callApi(`/api/v1/deployments/${deployment.id}/approve`, { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const cancel = useMutation({
    mutationFn: () => callApi<Cancellation>(`/api/v1/deployments/${deployment.id}/cancel`, { method: "POST" }),
    onSuccess: (result) => (result.rollback ? router.push(`/deployments/${result.rollback.id}`) : client.invalidateQueries({ queryKey: key })),
  });
  const { counts } = deployment;
  const historyLink = `/deployments?service=${deployment.service.slug}&namespace=${deployment.namespace.id}`;
  const failed = deployment.status === "failed";
  const rollsBack = deployment.status === "progressing" || deployment.status === "applying";
  const failing = failingPod(deployment.pods, failed);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-3xl font-bold">
            {deployment.service.displayName} <span className="text-muted-foreground">revision {deployment.revision}</span>
          </h1>
          <p className="text-muted-foreground">
            <span className="font-mono" title={deployment.image}>
              {versionText(deployment)}
            </span>{" "}
            to{" "}
            <Link className="underline" href={`/namespaces/${deployment.namespace.id}`}>
              {deployment.namespace.name}
            </Link>{" "}
            on {deployment.namespace.cluster.name} ({deployment.namespace.environment})
          </p>
          <TagCheckNote tagCheck={deployment.tagCheck} className="text-sm" />
          <p className="text-sm text-muted-foreground">
            {/* Until Wharf applies it, nobody has deployed anything: the requester asked. */}
            {deployment.startedAt
              ? deployment.kind === "rollback"
                ? "Rollback by"
                : "Deployed by"
              : deployment.kind === "rollback"
                ? "Rollback requested by"
                : "Requested by"}{" "}
            {deployment.requestedBy.name} <RelativeTime iso={deployment.createdAt} />
            {deployment.rejection && (
              <>
                , rejected by {deployment.rejection.by.name} <RelativeTime iso={deployment.rejection.at} />
              </>
            )}
            {deployment.approvedBy && deployment.approvedAt && (
              <>
                , approved by {deployment.approvedBy.name} <RelativeTime iso={deployment.approvedAt} />
              </>
            )}
            {deployment.queuedAt && (
              <>
                , queued behind another rollout <RelativeTime iso={deployment.queuedAt} />
                {deployment.startedAt && ` (waited ${secondsBetween(deployment.queuedAt, deployment.startedAt)} s)`}
              </>
            )}
            {deployment.durationSeconds !== null && `, took ${deployment.durationSeconds} s`}.{" "}
            <Link className="underline" href={historyLink}>
              History
            </Link>
          </p>
        </div>
        <div aria-live="polite">
          <DeploymentStatusBadge status={deployment.status} reason={deployment.reason} />
        </div>
      </div>

      {query.isError && (
        <p role="alert" className="rounded-md border border-warning p-3 text-sm">
          Could not refresh ({query.error.message}); showing what Wharf knew <RelativeTime iso={new Date(query.dataUpdatedAt).toISOString()} />. Retrying.
        </p>
      )}

      {deployment.message && (
        <Card className={failed ? "border-destructive" : undefined}>
          <p className={failed ? "font-medium text-destructive" : "text-sm"} role={failed ? "alert" : "status"}>
            {failed ? `Failed${deployment.reason ? ` (${deployment.reason})` : ""}: ` : ""}
            {deployment.message}
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            {deployment.status === "awaiting-approval" && permissions.approver && (
              <Button onClick={() => approve.mutate()} disabled={approve.isPending}>
                {approve.isPending ? "Approving…" : "Approve and deploy"}
              </Button>
            )}
            {deployment.status === "awaiting-approval" && permissions.approver && (
              <Button asChild variant="outline">
                <Link href={`/approvals#${deployment.id}`}>Reject with a reason</Link>
              </Button>
            )}
            {deployment.inFlight && permissions.member && (
              <Button variant="destructive" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
                {cancel.isPending ? "Cancelling…" : rollsBack ? "Cancel and roll back" : "Cancel"}
              </Button>
            )}
            {failed && permissions.member && (
              <Button asChild variant="outline">
                <Link href={historyLink}>Roll back from the history</Link>
              </Button>
            )}
          </div>
          {[approve, cancel].map(
            (mutation, index) =>
              mutation.isError && (
                <p key={index} role="alert" className="mt-2 text-sm text-destructive">
                  {mutation.error.message}
                </p>
              ),
          )}
        </Card>
      )}

      {failing && (
        <FailingPod
          deployment={deployment}
          pod={failing}
          canReadLogs={permissions.logs}
          rollback={{ allowed: permissions.member && !deployment.inFlight, target: rollbackTarget }}
        />
      )}

      <section aria-label="Replicas" className="grid grid-cols-2 gap-3 md:grid-cols-4">
        <Count label="desired" value={counts.desired} of={deployment.replicas} />
        <Count label="updated" value={counts.updated} of={counts.desired} />
        <Count label="ready" value={counts.ready} of={counts.desired} />
        <Count label="available" value={counts.available} of={counts.desired} />
      </section>

      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Pods</h2>
        {deployment.pods.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            {deployment.inFlight ? "No pods yet; they appear as the cluster creates them." : "No pods were seen for this rollout."}
          </p>
        ) : (
          <ScrollCard label="Pods of the rollout">
            <DataTable caption="Pods of the rollout" columns={["Pod", "Template", "Phase", "Ready", "Restarts", "Waiting"]}>
              {deployment.pods.map((pod) => (
                <Row key={pod.name}>
                  <Cell className="font-mono text-xs">{pod.name}</Cell>
                  <Cell>{pod.updated ? "new" : "old"}</Cell>
                  <Cell>{pod.phase}</Cell>
                  <Cell>{pod.ready ? "✓ ready" : "✗ not ready"}</Cell>
                  <Cell className="tabular-nums">{pod.restarts}</Cell>
                  <Cell className={pod.waitingReason && /BackOff|Err/.test(pod.waitingReason) ? "font-medium text-destructive" : undefined}>
                    {pod.waitingReason ?? "—"}
                  </Cell>
                </Row>
              ))}
            </DataTable>
          </ScrollCard>
        )}
      </section>

      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Events</h2>
        {deployment.events.length === 0 ? (
          <p className="text-sm text-muted-foreground">No events yet.</p>
        ) : (
          <ScrollCard label="Kubernetes events of the rollout">
            <DataTable caption="Kubernetes events of the rollout, oldest first" columns={["Type", "Reason", "Object", "Message", "Count", "Last seen"]}>
              {deployment.events.map((event, index) => (
                <Row key={`${event.object}-${event.reason}-${index}`}>
                  <Cell className={event.type === "Warning" ? "font-medium text-destructive" : undefined}>
                    {event.type === "Warning" ? "⚠ Warning" : event.type}
                  </Cell>
                  <Cell>{event.reason}</Cell>
                  <Cell className="font-mono text-xs">{event.object}</Cell>
                  <Cell className="text-xs">{event.message}</Cell>
                  <Cell className="tabular-nums">{event.count}</Cell>
                  <Cell>{event.lastTimestamp ? <RelativeTime iso={event.lastTimestamp} /> : "—"}</Cell>
                </Row>
              ))}
            </DataTable>
          </ScrollCard>
        )}
      </section>

      <details className="rounded-lg border border-border bg-card p-5">
        <summary className="cursor-pointer font-semibold">The applied manifest</summary>
        <pre className="mt-3 max-h-[32rem] overflow-auto text-xs">{deployment.manifestYaml}</pre>
      </details>
      <p className="text-xs text-muted-foreground">
        Updated <RelativeTime iso={new Date(query.dataUpdatedAt).toISOString()} />
        {deployment.inFlight ? "; refreshing every second while it rolls out." : "."}
      </p>
    </div>
  );
}
