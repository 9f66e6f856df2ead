import { ListPageSkeleton } from "@/components/ui/skeleton";
import { historyColumns } from "@/components/deployments/history-columns";

export default function DeploymentsLoading() {
  return <ListPageSkeleton title="Deployments" columns={historyColumns} />;
}
