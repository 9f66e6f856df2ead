import { Badge } from "@/components/ui/badge";
import type { ServiceView } from "@/lib/catalog/service-view";

const tierTone = { critical: "destructive", standard: "info", experimental: "secondary" } as const;
const lifecycleTone = { production: "success", experimental: "warning", deprecated: "secondary" } as const;

export function TierBadge({ tier }: { tier: ServiceView["tier"] }) {
  return <Badge variant={tierTone[tier]}>Tier: {tier}</Badge>;
}

export function LifecycleBadge({ lifecycle }: { lifecycle: ServiceView["lifecycle"] }) {
  return <Badge variant={lifecycleTone[lifecycle]}>{lifecycle}</Badge>;
}
