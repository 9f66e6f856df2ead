"use client";
// The history of deployments, newest first, with a one-click rollback to any
// earlier revision that succeeded.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation } from "@tanstack/react-query";
import { Undo2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { RelativeTime } from "@/components/ui/relative-time";
import { callApi } from "@/lib/api/client-fetch";
import type { DeploymentView } from "@/lib/deployments/deployment-view";
import { DeploymentStatusBadge } from "@/components/deployments/status-badge";
import { historyColumns } from "@/components/deployments/history-columns";
import { versionText } from "@/lib/deployments/version-text";
import { TagCheckNote } from "./tag-check-note";

function RollbackButton({ deployment }: { deployment: DeploymentView }) {
  const router = useRouter();
  const rollback = useMutation({
    mutationFn: () => callApi<DeploymentView>(`/api/v1/deployments/${deployment.id}/rollback`, { method: "POST" }),
    onSuccess: (created) => router.push(`/deployments/${created.id}`),
  });
  return (
    <div>
      <Button
        size="sm"
        variant="outline"
        onClick={() => rollback.mutate()}
        disabled={rollback.isPending}
        aria-label={`Roll back ${deployment.service.slug} in ${deployment.namespace.name} to revision ${deployment.revision}`}
      >
        <Undo2 className="h-4 w-4" aria-hidden /> {rollback.isPending ? "Rolling back…" : `Roll back to ${deployment.revision}`}
      </Button>
      {rollback.isError && (
        <p role="alert" className="mt-1 max-w-xs text-xs text-destructive">
          {rollback.error.message}
        </p>
      )}
    </div>
  );
}

/** `rollbackTeams`: the team ids whose deployments the viewer may roll back, or "all" for a platform admin. */
export function DeploymentHistory({ deployments, rollbackTeams }: { deployments: DeploymentView[]; rollbackTeams: string[] | "all" }) {
  const canRollBack = (deployment: DeploymentView) => rollbackTeams === "all" || rollbackTeams.includes(deployment.team.id);
  // The newest deployment of a service and namespace, when it succeeded, is what runs: rolling back to it would change nothing.
  const current = new Set<string>();
  const seen = new Set<string>();
  for (const deployment of deployments) {
    const key = `${deployment.service.id}/${deployment.namespace.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (deployment.status === "succeeded") current.add(deployment.id);
  }
  return (
    <DataTable caption="Deployments, newest first" columns={historyColumns}>
      {deployments.map((deployment) => (
        <Row key={deployment.id}>
          <Cell>
            <Link className="underline" href={`/deployments/${deployment.id}`}>
              #{deployment.revision}
            </Link>
            {deployment.kind === "rollback" && <span className="block text-xs text-muted-foreground">rollback</span>}
          </Cell>
          <Cell>
            <Link className="underline" href={`/catalog/${deployment.service.slug}`}>
              {deployment.service.displayName}
            </Link>
          </Cell>
          <Cell>{deployment.namespace.environment}</Cell>
          <Cell>
            <Link className="underline" href={`/namespaces/${deployment.namespace.id}`}>
              {deployment.namespace.name}
            </Link>
            <span className="block text-xs text-muted-foreground">{deployment.namespace.cluster.name}</span>
          </Cell>
          <Cell className="max-w-[14rem] text-xs">
            <span className="break-all font-mono">{versionText(deployment)}</span>
            <TagCheckNote tagCheck={deployment.tagCheck} className="mt-1" />
          </Cell>
          <Cell>
            <DeploymentStatusBadge status={deployment.status} reason={deployment.reason} />
          </Cell>
          <Cell>{deployment.requestedBy.name}</Cell>
          <Cell>
            <RelativeTime iso={deployment.createdAt} />
          </Cell>
          <Cell className="tabular-nums">{deployment.durationSeconds !== null ? `${deployment.durationSeconds} s` : "—"}</Cell>
          <Cell>
            {deployment.status === "succeeded" && !current.has(deployment.id) && canRollBack(deployment) ? (
              <RollbackButton deployment={deployment} />
            ) : current.has(deployment.id) ? (
              <span className="text-xs text-muted-foreground">running now</span>
            ) : null}
          </Cell>
        </Row>
      ))}
    </DataTable>
  );
}
