"use client";
// The namespace page's live part: status, drift, quota and history refresh
// every 1.5 s while something is in flight, every 30 s otherwise.
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, RefreshCw } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { RelativeTime } from "@/components/ui/relative-time";
import { callApi } from "@/lib/api/client-fetch";
import { quotaFields, quotaLabels } from "@/lib/namespaces/namespace-input";
import { namespaceActions, type NamespaceRights } from "@/lib/namespaces/namespace-actions";
import type { NamespaceDetail } from "@/lib/namespaces/list-namespaces";
import { NamespaceStatusBadge, RequestStatusBadge } from "@/components/namespaces/status-badge";
import { QuotaTable } from "@/components/namespaces/quota-table";
import { useChangeFeed } from "@/components/shell/use-change-feed";

const inFlight = new Set(["provisioning", "decommissioning"]);

/** Member of the owning team (or admin): retry, quota change, decommission; admin: re-apply a drifted namespace. */
export type NamespacePermissions = NamespaceRights;

export function NamespaceDetailView({ initial, permissions }: { initial: NamespaceDetail; permissions: NamespacePermissions }) {
  const client = useQueryClient();
  const key = ["namespace", initial.namespace.id];
  const live = useChangeFeed([`namespace:${initial.namespace.id}`], key);
  const query = useQuery({
    queryKey: key,
    queryFn: () => callApi<NamespaceDetail>(`/api/v1/namespaces/${initial.namespace.id}`),
    initialData: initial,
    // Change notices refetch at once; polling is the fallback, quick only while the stream is down.
    refetchInterval: (q) =>
      q.state.data && (inFlight.has(q.state.data.namespace.status) || q.state.data.requests.some((r) => r.status === "pending"))
        ? live
          ? 10_000
          : 1_500
        : 30_000,
  });
  const { namespace, requests } = query.data;
  const reapply = useMutation({
    mutationFn: () => callApi(`/api/v1/namespaces/${namespace.id}/reapply`, { method: "POST" }),
    onSettled: () => client.invalidateQueries({ queryKey: key }),
  });
  const pendingRequest = requests.find((r) => r.status === "pending");
  const { retry: canRetry, reapply: canReapply } = namespaceActions(namespace, permissions);

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="font-mono text-3xl font-bold">{namespace.name}</h1>
          <p className="text-muted-foreground">
            <Link className="underline" href={`/teams/${namespace.team.slug}`}>
              {namespace.team.name}
            </Link>{" "}
            on {namespace.cluster.name} ({namespace.environment}), cost center {namespace.costCenter}
          </p>
        </div>
        <div aria-live="polite" className="flex items-center gap-2">
          <NamespaceStatusBadge status={namespace.status} />
        </div>
      </div>

      {query.isError && (
        <p role="alert" className="rounded-md border border-warning p-3 text-sm">
          Could not refresh the status ({query.error.message}); showing what Wharf knew <RelativeTime iso={new Date(query.dataUpdatedAt).toISOString()} />.
          Retrying.
        </p>
      )}

      {(namespace.statusMessage || canRetry) && (
        <Card className={namespace.status === "failed" ? "border-destructive" : undefined}>
          {namespace.statusMessage && (
            <p className={namespace.status === "failed" ? "font-medium text-destructive" : "text-sm"} role={namespace.status === "failed" ? "alert" : "status"}>
              {namespace.status === "failed" ? "Provisioning failed: " : ""}
              {namespace.statusMessage}
            </p>
          )}
          {canRetry && (
            <Button className="mt-3" onClick={() => reapply.mutate()} disabled={reapply.isPending}>
              <RefreshCw className="h-4 w-4" aria-hidden /> {reapply.isPending ? "Starting…" : "Retry"}
            </Button>
          )}
          {reapply.isError && (
            <p role="alert" className="mt-2 text-sm text-destructive">
              {reapply.error.message}
            </p>
          )}
        </Card>
      )}

      {namespace.drift.length > 0 && namespace.status === "ready" && (
        <Card className="border-warning">
          <h2 className="flex items-center gap-2 text-lg font-semibold">
            <AlertTriangle className="h-5 w-5 text-warning" aria-hidden /> The cluster no longer matches what was approved
          </h2>
          <ul className="mt-2 list-disc space-y-1 pl-6 text-sm">
            {namespace.drift.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {namespace.checkedAt && (
            <p className="mt-2 text-xs text-muted-foreground">
              Found <RelativeTime iso={namespace.checkedAt} />.
            </p>
          )}
          {canReapply ? (
            <Button className="mt-3" onClick={() => reapply.mutate()} disabled={reapply.isPending}>
              {reapply.isPending ? "Re-applying…" : "Re-apply the approved state"}
            </Button>
          ) : (
            <p className="mt-2 text-sm text-muted-foreground">A platform admin can re-apply the approved state with one click.</p>
          )}
        </Card>
      )}

      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Quota</h2>
        <ScrollCard label="Quota">
          <QuotaTable quota={namespace.quota} usage={namespace.usage} />
        </ScrollCard>
        <p className="text-xs text-muted-foreground">
          {namespace.checkedAt ? (
            <>
              Usage as the cluster reported it <RelativeTime iso={namespace.checkedAt} />.
            </>
          ) : (
            "Usage appears after the next reconcile."
          )}{" "}
          Containers that set nothing get {namespace.containerDefaults.requestCpu} CPU / {namespace.containerDefaults.requestMemory} requested,{" "}
          {namespace.containerDefaults.limitCpu} / {namespace.containerDefaults.limitMemory} limit.
        </p>
      </section>

      {namespace.status === "ready" && <ConnectWithKubectl connect={query.data.connect} />}

      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Labels</h2>
        <p className="font-mono text-sm">
          app.kubernetes.io/managed-by=wharf, wharf.io/team={namespace.team.slug}, wharf.io/cost-center={namespace.costCenter}, wharf.io/environment=
          {namespace.environment}
        </p>
      </section>

      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Requests</h2>
        <ol className="space-y-2">
          {requests.map((request) => (
            <li key={request.id} id={request.id}>
              <Card className="space-y-1 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium">{request.kind === "create" ? "Create" : request.kind === "change" ? "Quota change" : "Decommission"}</span>
                  <RequestStatusBadge status={request.status} />
                </div>
                <p>
                  Asked by {request.requestedBy.name} <RelativeTime iso={request.createdAt} />: {request.justification}
                </p>
                {request.decidedBy && request.decidedAt && (
                  <p>
                    {request.status === "withdrawn" ? "Withdrawn" : request.status === "approved" ? "Approved" : "Rejected"} by {request.decidedBy.name}{" "}
                    <RelativeTime iso={request.decidedAt} />
                    {request.decisionReason ? `: ${request.decisionReason}` : "."}
                  </p>
                )}
              </Card>
            </li>
          ))}
        </ol>
      </section>

      {permissions.member && !pendingRequest && (namespace.status === "ready" || namespace.status === "failed") && (
        <ChangeActions
          namespaceId={namespace.id}
          name={namespace.name}
          quota={namespace.quota}
          defaults={namespace.containerDefaults}
          onDone={() => client.invalidateQueries({ queryKey: key })}
        />
      )}
      {pendingRequest && (
        <p className="text-sm text-muted-foreground">
          A {pendingRequest.kind === "change" ? "quota change" : pendingRequest.kind} request is waiting for a platform admin.
        </p>
      )}
    </div>
  );
}

function ChangeActions({
  namespaceId,
  name,
  quota,
  defaults,
  onDone,
}: {
  namespaceId: string;
  name: string;
  quota: NamespaceDetail["namespace"]["quota"];
  defaults: NamespaceDetail["namespace"]["containerDefaults"];
  onDone: () => void;
}) {
  const [confirmName, setConfirmName] = useState("");
  const [justification, setJustification] = useState("");
  const [changeJustification, setChangeJustification] = useState("");
  const [values, setValues] = useState({ ...quota });
  const decommission = useMutation({
    mutationFn: () => callApi(`/api/v1/namespaces/${namespaceId}/decommission`, { method: "POST", body: { confirmName, justification } }),
    onSuccess: onDone,
  });
  const change = useMutation({
    mutationFn: () =>
      callApi(`/api/v1/namespaces/${namespaceId}/quota-change`, {
        method: "POST",
        body: { quota: values, containerDefaults: defaults, justification: changeJustification },
      }),
    onSuccess: onDone,
  });
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <Card className="space-y-3">
        <h2 className="text-lg font-semibold">Change the quota</h2>
        <p className="text-sm text-muted-foreground">Goes to a platform admin like the first request.</p>
        <div className="grid grid-cols-2 gap-2">
          {quotaFields.map((field) => (
            <div key={field} className="space-y-1">
              <Label htmlFor={`change-${field}`}>{quotaLabels[field]}</Label>
              <Input id={`change-${field}`} className="font-mono" value={values[field]} onChange={(e) => setValues({ ...values, [field]: e.target.value })} />
            </div>
          ))}
        </div>
        <Label htmlFor="change-justification">Why</Label>
        <Textarea
          id="change-justification"
          className="font-sans"
          rows={2}
          value={changeJustification}
          onChange={(e) => setChangeJustification(e.target.value)}
        />
        <Button variant="outline" onClick={() => change.mutate()} disabled={change.isPending}>
          Request the change
        </Button>
        {change.isError && (
          <p role="alert" className="text-sm text-destructive">
            {change.error.message}
          </p>
        )}
      </Card>
      <Card className="space-y-3 border-destructive/40">
        <h2 className="text-lg font-semibold">Decommission</h2>
        <p className="text-sm text-muted-foreground">
          After an admin approves, Wharf deletes the namespace and everything in it on the cluster. The record stays here.
        </p>
        <Label htmlFor="decommission-confirm">Type {name} to confirm</Label>
        <Input id="decommission-confirm" className="font-mono" value={confirmName} onChange={(e) => setConfirmName(e.target.value)} autoComplete="off" />
        <Label htmlFor="decommission-justification">Why</Label>
        <Textarea id="decommission-justification" className="font-sans" rows={2} value={justification} onChange={(e) => setJustification(e.target.value)} />
        <Button variant="destructive" onClick={() => decommission.mutate()} disabled={decommission.isPending || confirmName !== name}>
          Request decommissioning
        </Button>
        {decommission.isError && (
          <p role="alert" className="text-sm text-destructive">
            {decommission.error.message}
          </p>
        )}
      </Card>
    </div>
  );
}

/** The commands that put this namespace in a person's kubectl (issue 17 item 5), each with what it is for. */
function ConnectWithKubectl({ connect }: { connect: NamespaceDetail["connect"] }) {
  return (
    <section className="space-y-2" aria-labelledby="connect-kubectl">
      <h2 id="connect-kubectl" className="text-xl font-semibold">
        Connect with kubectl
      </h2>
      <p className="text-sm text-muted-foreground">
        With the Azure CLI and kubectl installed (and kubelogin for a cluster with Microsoft Entra ID sign-in), from a terminal:
      </p>
      <Card className="p-0">
        <ol className="divide-y divide-border">
          {connect.steps.map((step) => (
            <li key={step.command} className="space-y-1 px-4 py-2">
              <code className="block overflow-x-auto whitespace-pre font-mono text-sm">{step.command}</code>
              <p className="text-xs text-muted-foreground">{step.note}</p>
            </li>
          ))}
        </ol>
      </Card>
    </section>
  );
}
