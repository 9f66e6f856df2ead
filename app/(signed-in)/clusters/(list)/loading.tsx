import { ListPageSkeleton } from "@/components/ui/skeleton";

export default function ClustersLoading() {
  return <ListPageSkeleton title="Clusters" columns={["Cluster", "Region", "Version", "Reachability", "Environment"]} />;
}
