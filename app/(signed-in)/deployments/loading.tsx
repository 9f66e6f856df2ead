import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";
import { historyColumns } from "@/components/deployments/history-columns";

export default function DeploymentsLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading the deployments">
      <div className="space-y-2">
        <h1 className="text-3xl font-bold">Deployments</h1>
        <Skeleton className="h-5 w-2/3" />
      </div>
      <Card className="overflow-x-auto p-0">
        <TableSkeleton columns={historyColumns} label="Deployments, loading" />
      </Card>
    </div>
  );
}
