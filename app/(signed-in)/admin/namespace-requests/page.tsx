import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { DecisionForm } from "@/components/namespaces/request-actions";
import { NamespaceStatusBadge } from "@/components/namespaces/status-badge";
import { QuotaTable } from "@/components/namespaces/quota-table";
import { requirePermission } from "@/lib/auth/current-actor";
import { listApprovalQueue } from "@/lib/namespaces/list-namespaces";

export const metadata: Metadata = { title: "Namespace requests" };

export default async function NamespaceRequestsPage() {
  const actor = await requirePermission("namespace:approve");
  const queue = await listApprovalQueue({ actor });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Namespace requests</h1>
        <p className="text-muted-foreground">
          Pending requests, oldest first, each with the policy check as it stands now and the team&apos;s current namespaces. Approving starts provisioning at
          once.
        </p>
      </div>
      {queue.length === 0 ? (
        <Card>No requests are waiting. New ones appear here, and every admin gets a notification.</Card>
      ) : (
        <ol className="space-y-4">
          {queue.map(({ request, violationsNow, teamNamespaces, current, selfRequested, selfApprovalAllowed }) => (
            <li key={request.id} id={request.id}>
              <Card className="grid gap-6 lg:grid-cols-[2fr_1fr]">
                <div className="space-y-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <h2 className="font-mono text-xl font-semibold">{request.name}</h2>
                    <Badge variant={request.kind === "decommission" ? "destructive" : "info"}>
                      {request.kind === "create" ? "New namespace" : request.kind === "change" ? "Quota change" : "Decommission"}
                    </Badge>
                    <span className="text-sm text-muted-foreground">
                      {request.team.name} on {request.cluster.name} ({request.cluster.environment ?? "no environment"})
                    </span>
                  </div>
                  <p className="text-sm">
                    {request.requestedBy.name}, <RelativeTime iso={request.createdAt} />: “{request.justification}”
                  </p>
                  {violationsNow.length === 0 ? (
                    <p className="text-sm">
                      <Badge variant="success">Policy: passes</Badge>
                    </p>
                  ) : (
                    <div className="space-y-1 text-sm">
                      <Badge variant="destructive">
                        Policy: {violationsNow.length} problem{violationsNow.length > 1 ? "s" : ""} now
                      </Badge>
                      <ul className="list-disc pl-6">
                        {violationsNow.map((v) => (
                          <li key={v.field + v.message}>{v.message}</li>
                        ))}
                      </ul>
                    </div>
                  )}
                  {request.kind !== "decommission" && (
                    <div className="overflow-x-auto rounded-md border border-border">
                      <QuotaTable quota={request.quota} usage={current?.usage ?? null} />
                    </div>
                  )}
                  {current && request.kind === "change" && (
                    <p className="text-xs text-muted-foreground">“Used” is the namespace&apos;s current usage, against the requested quota.</p>
                  )}
                </div>
                <div className="space-y-4">
                  <div>
                    <h3 className="text-sm font-semibold">Namespaces of {request.team.name}</h3>
                    {teamNamespaces.length === 0 ? (
                      <p className="text-sm text-muted-foreground">None yet.</p>
                    ) : (
                      <ul className="space-y-1 text-sm">
                        {teamNamespaces.map((n) => (
                          <li key={n.id} className="flex flex-wrap items-center gap-2">
                            <Link className="font-mono underline" href={`/namespaces/${n.id}`}>
                              {n.name}
                            </Link>
                            <span className="text-muted-foreground">{n.cluster.name}</span>
                            <NamespaceStatusBadge status={n.status} />
                          </li>
                        ))}
                      </ul>
                    )}
                  </div>
                  <DecisionForm
                    requestId={request.id}
                    name={request.name}
                    destructive={request.kind === "decommission"}
                    blocked={
                      selfRequested && !selfApprovalAllowed
                        ? "You made this request; another platform admin must approve it."
                        : violationsNow.length
                          ? "The policy refuses it now; reject it with the reason, or change the policy first."
                          : undefined
                    }
                  />
                </div>
              </Card>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
