import { Card } from "@/components/ui/card";
import { Skeleton, TableSkeleton } from "@/components/ui/skeleton";

/** The deployment page's layout while it loads: title, message, the four counts, pods. */
export default function DeploymentLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading the deployment">
      <div className="space-y-2">
        <Skeleton className="h-9 w-1/2" />
        <Skeleton className="h-5 w-2/3" />
        <Skeleton className="h-4 w-1/3" />
      </div>
      <Card>
        <Skeleton className="h-5 w-3/4" />
      </Card>
      <section className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {["desired", "updated", "ready", "available"].map((label) => (
          <div key={label} className="rounded-md border border-border p-3 text-center">
            <Skeleton className="mx-auto h-9 w-12" />
            <div className="text-sm text-muted-foreground">{label}</div>
          </div>
        ))}
      </section>
      <section className="space-y-2">
        <h2 className="text-xl font-semibold">Pods</h2>
        <Card className="overflow-x-auto p-0">
          <TableSkeleton columns={["Pod", "Template", "Phase", "Ready", "Restarts", "Waiting"]} rows={3} label="Pods, loading" />
        </Card>
      </section>
    </div>
  );
}
