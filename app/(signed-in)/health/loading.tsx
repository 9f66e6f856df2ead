import { ListPageSkeleton } from "@/components/ui/skeleton";

export default function HealthLoading() {
  return <ListPageSkeleton title="Health" columns={["Service", "Environment", "Health", "Why", "Version", "Ready", "Evaluated"]} filters />;
}
