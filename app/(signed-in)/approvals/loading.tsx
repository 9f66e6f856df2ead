import { Skeleton } from "@/components/ui/skeleton";

/** The inbox's shape while it loads: the title, then two item cards. */
export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading approvals">
      <Skeleton className="h-9 w-48" />
      <Skeleton className="h-5 w-full max-w-2xl" />
      <Skeleton className="h-56 w-full" />
      <Skeleton className="h-56 w-full" />
    </div>
  );
}
