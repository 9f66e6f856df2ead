import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { toClusterView, type ClusterView } from "@/lib/clusters/cluster-view";

export async function listClusters({ actor }: { actor: Actor }): Promise<ClusterView[]> {
  if (!can(actor, "cluster:read")) throw forbidden("cluster:read");
  return (await getPrisma().cluster.findMany({ orderBy: { name: "asc" } })).map(toClusterView);
}
