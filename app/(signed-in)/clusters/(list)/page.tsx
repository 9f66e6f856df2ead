import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { ClusterTable } from "@/components/clusters/cluster-table";
import { requirePermission } from "@/lib/auth/current-actor";
import { can } from "@/lib/auth/permissions";
import { listClusters } from "@/lib/clusters/list-clusters";

export const metadata: Metadata = { title: "Clusters" };

export default async function ClustersPage() {
  const actor = await requirePermission("cluster:read");
  const clusters = await listClusters({ actor });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Clusters</h1>
        <p className="text-muted-foreground">
          The AKS clusters Wharf knows, as last discovered (hourly) and checked. One that cannot be reached shows its own error; the others keep working.
          {can(actor, "cluster:manage") && (
            <>
              {" "}
              Admins discover clusters and set environments under{" "}
              <Link className="underline" href="/admin/clusters">
                Admin → Clusters
              </Link>
              .
            </>
          )}
        </p>
      </div>
      {clusters.length === 0 ? (
        <Card>No clusters yet. A platform admin discovers them; Wharf also looks every hour.</Card>
      ) : (
        <ScrollCard label="Clusters">
          <ClusterTable
            clusters={clusters}
            lastColumn="Environment"
            renderLast={(cluster) => cluster.environment ?? <span className="text-muted-foreground">not set</span>}
          />
        </ScrollCard>
      )}
    </div>
  );
}
