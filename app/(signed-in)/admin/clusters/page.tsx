import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { ClusterTable } from "@/components/clusters/cluster-table";
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
        <p className="text-muted-foreground">
          AKS clusters in the configured subscriptions, found through Azure Resource Manager. Each is checked on its own: one that cannot be reached shows its
          error here and does not stop the others.
        </p>
      </div>
      <RefreshClustersButton action={refreshClustersAction} />
      {clusters.length === 0 ? (
        <Card>No clusters yet. Discover them now; Wharf looks in every subscription it is configured with.</Card>
      ) : (
        <ScrollCard label="Clusters">
          <ClusterTable
            clusters={clusters}
            lastColumn="Environment"
            renderLast={(cluster) => <EnvironmentSelect action={setEnvironmentAction} id={cluster.id} name={cluster.name} value={cluster.environment} />}
          />
        </ScrollCard>
      )}
    </div>
  );
}
