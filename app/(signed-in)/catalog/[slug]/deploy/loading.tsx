import { Card } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

/** The deploy form's layout while the service and the team's namespaces load. */
export default function DeployLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading the deploy form">
      <div className="space-y-2">
        <Skeleton className="h-9 w-1/2" />
        <Skeleton className="h-5 w-1/4" />
      </div>
      <Card className="space-y-4">
        <div className="grid gap-4 md:grid-cols-2">
          {["Namespace", "Image tag or digest", "Replicas", "If a rollout of this service is still running there"].map((label) => (
            <div key={label} className="space-y-2">
              <div className="text-sm font-medium">{label}</div>
              <Skeleton className="h-10 w-full" />
            </div>
          ))}
        </div>
        <Skeleton className="h-10 w-56" />
      </Card>
    </div>
  );
}
