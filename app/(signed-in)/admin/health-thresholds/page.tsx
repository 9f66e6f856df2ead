import type { Metadata } from "next";
import { Card } from "@/components/ui/card";
import { ThresholdsForm } from "@/components/health/thresholds-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { getHealthThresholds } from "@/lib/health/get-health-thresholds";

export const metadata: Metadata = { title: "Health thresholds" };

const tierNote: Record<string, string> = {
  critical: "Held tightest: customer-facing and revenue paths.",
  standard: "Most services.",
  experimental: "Loosest: prototypes and services still finding their feet.",
};

export default async function HealthThresholdsPage() {
  const actor = await requirePermission("health:thresholds:edit");
  const tiers = await getHealthThresholds({ actor });
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Health thresholds</h1>
        <p className="text-muted-foreground">
          Per service tier: at or past the degraded value a signal makes the service degraded, at or past the unhealthy value unhealthy (for availability, at or
          below). A service takes its tier from the catalog. Changes apply from the next poll cycle and are audited.
        </p>
      </div>
      {tiers.map((tier) => (
        <Card key={tier.tier} className="space-y-3">
          <div>
            <h2 className="text-xl font-semibold capitalize">{tier.tier}</h2>
            <p className="text-sm text-muted-foreground">{tierNote[tier.tier]}</p>
          </div>
          <ThresholdsForm thresholds={tier} />
        </Card>
      ))}
    </div>
  );
}
