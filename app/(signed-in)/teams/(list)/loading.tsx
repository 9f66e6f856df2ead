import { Card, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

export default function TeamsLoading() {
  return (
    <div className="space-y-6" role="status" aria-label="Loading teams">
      <div className="space-y-2">
        <h1 className="text-3xl font-bold">Teams</h1>
        <Skeleton className="h-5 w-2/3" />
      </div>
      <div className="grid gap-4 md:grid-cols-3">
        {Array.from({ length: 6 }, (_, index) => (
          <Card key={index} className="space-y-2">
            <Skeleton className="h-6 w-1/2" />
            <Skeleton className="h-4 w-3/4" />
          </Card>
        ))}
      </div>
      {/* The page's "Platform admins" card, so a refusal's link to /teams#platform-admins lands on its place while it loads. */}
      <Card id="platform-admins" className="scroll-mt-20 space-y-3">
        <CardHeader>
          <CardTitle>Platform admins</CardTitle>
          <Skeleton className="h-4 w-3/4" />
        </CardHeader>
        {Array.from({ length: 3 }, (_, index) => (
          <Skeleton key={index} className="h-5 w-1/2" />
        ))}
      </Card>
    </div>
  );
}
