import { ListPageSkeleton } from "@/components/ui/skeleton";

export default function NamespacesLoading() {
  return <ListPageSkeleton title="Namespaces" columns={["Namespace", "Team", "Cluster", "Status", "Quota used", "Drift"]} filters />;
}
