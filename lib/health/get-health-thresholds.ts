// The health thresholds of every tier as the poller applies them: the stored
// row where an admin set one, the defaults otherwise.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { tiers } from "@/lib/catalog/service-input";
import { thresholdsForTier, tierThresholdsInput } from "@/lib/health/thresholds";
import type { TierThresholds } from "@/lib/health/types";

export const tierThresholdsViewSchema = tierThresholdsInput.extend({
  tier: z.enum(tiers),
  isDefault: z.boolean().describe("No admin has set this tier: Wharf's defaults apply."),
  updatedAt: z.string().nullable(),
});

export type TierThresholdsView = TierThresholds & { tier: (typeof tiers)[number]; isDefault: boolean; updatedAt: string | null };

export async function getHealthThresholds({ actor }: { actor: Actor }): Promise<TierThresholdsView[]> {
  if (!can(actor, "health:read")) throw forbidden("health:read");
  const rows = await getPrisma().healthThresholds.findMany();
  return tiers.map((tier) => {
    const row = rows.find((candidate) => candidate.tier === tier);
    const valid = row ? tierThresholdsInput.safeParse(row.thresholds).success : false;
    return { ...thresholdsForTier(tier, rows), tier, isDefault: !valid, updatedAt: valid ? row!.updatedAt.toISOString() : null };
  });
}
