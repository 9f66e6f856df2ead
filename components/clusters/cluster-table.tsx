import type { ReactNode } from "react";
import { DataTable, Row, Cell } from "@/components/ui/table";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ClusterView } from "@/lib/clusters/cluster-view";

/** Clusters with region, version and reachability; the last column is the caller's (an environment select, or the environment). */
export function ClusterTable({
  clusters,
  lastColumn,
  renderLast,
}: {
  clusters: ClusterView[];
  lastColumn: string;
  renderLast: (cluster: ClusterView) => ReactNode;
}) {
  return (
    <DataTable caption="Clusters" columns={["Cluster", "Region", "Version", "Reachability", lastColumn]}>
      {clusters.map((cluster) => (
        <Row key={cluster.id}>
          <Cell>
            <span className="font-medium">{cluster.name}</span>
            <span className="block text-xs text-muted-foreground">{cluster.resourceGroup}</span>
            {cluster.missingSince && (
              <Badge variant="warning" className="mt-1">
                Not found since <RelativeTime iso={cluster.missingSince} />
              </Badge>
            )}
          </Cell>
          <Cell>{cluster.location}</Cell>
          <Cell>{cluster.kubernetesVersion ?? "—"}</Cell>
          <Cell>
            {cluster.reachable === null ? (
              <Badge variant="secondary">Not checked</Badge>
            ) : cluster.reachable ? (
              <Badge variant="success">Reachable</Badge>
            ) : (
              <>
                <Badge variant="destructive">Unreachable</Badge>
                <span className="mt-1 block max-w-sm text-xs text-destructive">{cluster.lastError}</span>
              </>
            )}
            {cluster.reachable && cluster.lastError && <span className="mt-1 block max-w-sm text-xs text-warning">{cluster.lastError}</span>}
            {cluster.lastCheckedAt && (
              <span className="block text-xs text-muted-foreground">
                checked <RelativeTime iso={cluster.lastCheckedAt} />
              </span>
            )}
          </Cell>
          <Cell>{renderLast(cluster)}</Cell>
        </Row>
      ))}
    </DataTable>
  );
}
