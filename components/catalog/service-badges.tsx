import { Badge } from "@/components/ui/badge";
import type { ServiceView } from "@/lib/catalog/service-view";

const tierTone = { critical: "danger", standard: "info", experimental: "neutral" } as const;
const lifecycleTone = { production: "success", experimental: "warning", deprecated: "neutral" } as const;

export function TierBadge({ tier }: { tier: ServiceView["tier"] }) {
  return <Badge tone={tierTone[tier]}>Tier: {tier}</Badge>;
}

export function LifecycleBadge({ lifecycle }: { lifecycle: ServiceView["lifecycle"] }) {
  return <Badge tone={lifecycleTone[lifecycle]}>{lifecycle}</Badge>;
}
