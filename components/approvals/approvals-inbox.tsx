"use client";
// The approvals inbox as it stays current: the shell's stream says when
// something entered or left an inbox (approvals:inbox) and this list, under
// the shell's query key, refetches; a slow poll is the fallback. A decision
// made here refreshes the list and the badge at once.
import Link from "next/link";
import { useState } from "react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Card } from "@/components/ui/card";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { ManifestDiffView } from "@/components/deployments/manifest-diff";
import { TagCheckNote } from "@/components/deployments/tag-check-note";
import { QuotaTable } from "@/components/namespaces/quota-table";
import { shellQueryKey } from "@/components/shell/use-change-feed";
import { DecisionControls } from "@/components/approvals/decision-controls";
import { callApi } from "@/lib/api/client-fetch";
import { versionText } from "@/lib/deployments/version-text";
import type { ApprovalsInbox as Inbox, DeploymentApproval, NamespaceApproval } from "@/lib/approvals/list-approvals";

export const approvalsKey = [...shellQueryKey, "approvals", "inbox"];

export function ApprovalsInbox({ initial }: { initial: Inbox }) {
  const client = useQueryClient();
  const [outcomes, setOutcomes] = useState<string[]>([]);
  const query = useQuery({
    queryKey: approvalsKey,
    queryFn: () => callApi<Inbox>("/api/v1/approvals"),
    initialData: initial,
    refetchInterval: 60_000,
  });
  const inbox = query.data;
  const decided = (outcome: string) => {
    setOutcomes((previous) => [outcome, ...previous].slice(0, 5));
    void client.invalidateQueries({ queryKey: shellQueryKey });
  };
  const empty = inbox.deployments.length === 0 && inbox.namespaceRequests.length === 0;
  return (
    <div className="space-y-6">
      <div role="status" aria-live="polite" className="space-y-1">
        {outcomes.map((outcome, index) => (
          <p key={`${index}-${outcome}`} className="rounded-md border border-border bg-muted px-3 py-2 text-sm">
            {outcome}
          </p>
        ))}
      </div>
      {query.isError && (
        <p role="alert" className="rounded-md border border-warning p-3 text-sm">
          Could not refresh the inbox ({query.error.message}); showing what Wharf knew <RelativeTime iso={new Date(query.dataUpdatedAt).toISOString()} />.
          Retrying.
        </p>
      )}
      {empty ? (
        <Card>
          <p className="font-medium">Nothing waits for you.</p>
          <p className="text-sm text-muted-foreground">
            Production deployments your teammates request, and namespace requests if you are a platform admin, appear here as they arrive; you are also
            notified.
          </p>
        </Card>
      ) : null}
      {inbox.deployments.length > 0 && (
        <section aria-labelledby="approvals-deployments" className="space-y-3">
          <h2 id="approvals-deployments" className="text-xl font-semibold">
            Production deployments ({inbox.deployments.length})
          </h2>
          <ol className="space-y-4">
            {inbox.deployments.map((item) => (
              <li key={item.deployment.id} id={item.deployment.id}>
                <DeploymentItem item={item} onDecided={decided} />
              </li>
            ))}
          </ol>
        </section>
      )}
      {inbox.namespaceRequests.length > 0 && (
        <section aria-labelledby="approvals-namespaces" className="space-y-3">
          <h2 id="approvals-namespaces" className="text-xl font-semibold">
            Namespace requests ({inbox.namespaceRequests.length})
          </h2>
          <ol className="space-y-4">
            {inbox.namespaceRequests.map((item) => (
              <li key={item.request.id} id={item.request.id}>
                <NamespaceItem item={item} onDecided={decided} />
              </li>
            ))}
          </ol>
        </section>
      )}
    </div>
  );
}

function DeploymentItem({ item, onDecided }: { item: DeploymentApproval; onDecided: (outcome: string) => void }) {
  const { deployment, running, changes, diff } = item;
  const subject = `${deployment.service.slug} revision ${deployment.revision} to ${deployment.namespace.name}`;
  return (
    <Card className="space-y-4" aria-label={`Deployment of ${subject}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="text-lg font-semibold">
          <Link className="underline" href={`/deployments/${deployment.id}`}>
            {deployment.service.displayName} revision {deployment.revision}
          </Link>
        </h3>
        <Badge variant="warning">Awaiting approval</Badge>
        <span className="text-sm text-muted-foreground">
          to <span className="font-mono">{deployment.namespace.name}</span> on {deployment.namespace.cluster.name} ({deployment.namespace.environment}),{" "}
          {deployment.team.name}
        </span>
      </div>
      <p className="text-sm">
        Requested by {deployment.requestedBy.name} <RelativeTime iso={deployment.createdAt} />: deploys{" "}
        <span className="break-all font-mono" title={deployment.image}>
          {versionText(deployment)}
        </span>
        .{" "}
        {running ? (
          <>
            Runs now: revision {running.revision}, <span className="break-all font-mono">{running.image}</span>.
          </>
        ) : (
          "Nothing of this service runs in this namespace yet: this is its first deployment."
        )}
      </p>
      <TagCheckNote tagCheck={deployment.tagCheck} className="text-sm" />
      {changes.length === 0 ? (
        <p className="text-sm text-muted-foreground">Same image, replicas, resources and configuration as what runs now.</p>
      ) : (
        <div className="overflow-x-auto rounded-md border border-border">
          <DataTable caption={`What approving changes in ${deployment.namespace.name}`} columns={["Field", "Runs now", "After approval"]}>
            {changes.map((change) => (
              <Row key={change.field}>
                <Cell>{change.label}</Cell>
                <Cell className="break-all font-mono text-xs">{change.now ?? "—"}</Cell>
                <Cell className="break-all font-mono text-xs font-medium">{change.next ?? "(removed)"}</Cell>
              </Row>
            ))}
          </DataTable>
        </div>
      )}
      <details>
        <summary className="cursor-pointer text-sm font-medium">Manifest diff against what runs now</summary>
        <div className="mt-2">
          <ManifestDiffView diff={diff} />
        </div>
      </details>
      <DecisionControls
        subject={subject}
        approveLabel="Approve and deploy"
        onDecided={onDecided}
        calls={{
          approve: () => callApi(`/api/v1/deployments/${deployment.id}/approve`, { method: "POST" }),
          reject: (reason) => callApi(`/api/v1/deployments/${deployment.id}/reject`, { method: "POST", body: { reason } }),
        }}
      />
    </Card>
  );
}

const requestKindLabel = { create: "New namespace", change: "Quota change", decommission: "Decommission" } as const;

function NamespaceItem({ item, onDecided }: { item: NamespaceApproval; onDecided: (outcome: string) => void }) {
  const { request, violationsNow, current } = item;
  const subject = `${requestKindLabel[request.kind].toLowerCase()} ${request.name} on ${request.cluster.name}`;
  return (
    <Card className="space-y-4" aria-label={`Namespace request: ${subject}`}>
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-mono text-lg font-semibold">{request.name}</h3>
        <Badge variant={request.kind === "decommission" ? "destructive" : "info"}>{requestKindLabel[request.kind]}</Badge>
        <span className="text-sm text-muted-foreground">
          {request.team.name} on {request.cluster.name} ({request.cluster.environment ?? "no environment"})
        </span>
      </div>
      <p className="text-sm">
        Requested by {request.requestedBy.name} <RelativeTime iso={request.createdAt} />: “{request.justification}”
      </p>
      {violationsNow.length === 0 ? (
        <Badge variant="success">Policy: passes</Badge>
      ) : (
        <div className="space-y-1 text-sm">
          <Badge variant="destructive">
            Policy: {violationsNow.length} problem{violationsNow.length > 1 ? "s" : ""} now
          </Badge>
          <ul className="list-disc pl-6">
            {violationsNow.map((violation) => (
              <li key={violation.field + violation.message}>{violation.message}</li>
            ))}
          </ul>
        </div>
      )}
      {request.kind !== "decommission" && (
        <div className="overflow-x-auto rounded-md border border-border">
          <QuotaTable quota={request.quota} usage={current?.usage ?? null} />
        </div>
      )}
      <DecisionControls
        subject={subject}
        onDecided={onDecided}
        approveBlocked={
          violationsNow.length > 0
            ? "The policy no longer allows this request; reject it with that reason, or change the policy first."
            : request.kind === "decommission"
              ? "Decommissioning deletes the namespace and everything in it: approve it from Admin → Namespace requests, which asks you to type its name."
              : undefined
        }
        calls={{
          approve: () => callApi(`/api/v1/namespace-requests/${request.id}/decision`, { method: "POST", body: { decision: "approve" } }),
          reject: (reason) => callApi(`/api/v1/namespace-requests/${request.id}/decision`, { method: "POST", body: { decision: "reject", reason } }),
        }}
      />
    </Card>
  );
}
