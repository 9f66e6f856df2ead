import { ListPageSkeleton } from "@/components/ui/skeleton";

export default function CatalogLoading() {
  return <ListPageSkeleton title="Catalog" columns={["Service", "Team", "Tier", "Lifecycle", "Language", "Changed"]} filters />;
}
