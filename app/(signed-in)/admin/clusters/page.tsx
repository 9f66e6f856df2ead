import type { Metadata } from "next";
import { DataTable, Row, Cell } from "@/components/ui/table";
import { Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { RelativeTime } from "@/components/ui/relative-time";
import { EnvironmentSelect, RefreshClustersButton } from "@/components/clusters/cluster-controls";
import { requirePermission } from "@/lib/auth/current-actor";
import { listClusters } from "@/lib/clusters/list-clusters";
import { refreshClustersAction, setEnvironmentAction } from "./actions";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage() {
  const actor = await requirePermission("cluster:manage");
  const clusters = await listClusters({ actor });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Clusters</h1>
        <p className="text-muted-foreground">AKS clusters in the configured subscriptions, found through Azure Resource Manager. Each is checked on its own: one that cannot be reached shows its error here and does not stop the others.</p>
      </div>
      <RefreshClustersButton action={refreshClustersAction} />
      {clusters.length === 0 ? (
        <Card>No clusters yet. Discover them now; Wharf looks in every subscription it is configured with.</Card>
      ) : (
        <Card className="overflow-x-auto p-0">
          <DataTable caption="Clusters" columns={["Cluster", "Region", "Version", "Reachability", "Environment"]}>
              {clusters.map((cluster) => (
                <Row key={cluster.id}>
                  <Cell>
                    <span className="font-medium">{cluster.name}</span>
                    <span className="block text-xs text-muted-foreground">{cluster.resourceGroup}</span>
                    {cluster.missingSince && (
                      <Badge tone="warning" className="mt-1">
                        Not found since <RelativeTime iso={cluster.missingSince} />
                      </Badge>
                    )}
                  </Cell>
                  <Cell>{cluster.location}</Cell>
                  <Cell>{cluster.kubernetesVersion ?? "—"}</Cell>
                  <Cell>
                    {cluster.reachable === null ? (
                      <Badge>Not checked</Badge>
                    ) : cluster.reachable ? (
                      <Badge tone="success">Reachable</Badge>
                    ) : (
                      <>
                        <Badge tone="danger">Unreachable</Badge>
                        <span className="mt-1 block max-w-sm text-xs text-destructive">{cluster.lastError}</span>
                      </>
                    )}
                    {cluster.lastCheckedAt && (
                      <span className="block text-xs text-muted-foreground">
                        checked <RelativeTime iso={cluster.lastCheckedAt} />
                      </span>
                    )}
                  </Cell>
                  <Cell>
                    <EnvironmentSelect action={setEnvironmentAction} id={cluster.id} name={cluster.name} value={cluster.environment} />
                  </Cell>
                </Row>
              ))}
            </DataTable>
        </Card>
      )}
    </div>
  );
}
