// Health thresholds per service tier: the defaults, the one zod schema that
// admins' edits (page and API) pass through, and how a tier's thresholds are
// chosen from the stored rows. Pure: the poller and the pages read rows from
// `HealthThresholds` and hand them here.
import { z } from "zod";
import { tiers } from "@/lib/catalog/service-input";
import type { ThresholdPair, TierThresholds } from "@/lib/health/types";

type Tier = (typeof tiers)[number];

/** Critical services are held tighter; experimental ones looser. Failure rate and p95 over the last 15 minutes. */
export const defaultThresholds: Readonly<Record<Tier, Omit<TierThresholds, "tier">>> = {
  critical: {
    failureRatePct: { degraded: 1, unhealthy: 5 },
    p95DurationMs: { degraded: 800, unhealthy: 2000 },
    availabilityPct: { degraded: 99, unhealthy: 95 },
    restarts: { degraded: 1, unhealthy: 5 },
    minRequests: 20,
  },
  standard: {
    failureRatePct: { degraded: 5, unhealthy: 10 },
    p95DurationMs: { degraded: 1500, unhealthy: 3000 },
    availabilityPct: { degraded: 95, unhealthy: 90 },
    restarts: { degraded: 3, unhealthy: 10 },
    minRequests: 20,
  },
  experimental: {
    failureRatePct: { degraded: 10, unhealthy: 25 },
    p95DurationMs: { degraded: 3000, unhealthy: 6000 },
    availabilityPct: { degraded: 90, unhealthy: 75 },
    restarts: { degraded: 5, unhealthy: 20 },
    minRequests: 10,
  },
};

function pair(name: string, unit: string, max: number, higherIsWorse: boolean) {
  const limit = z
    .number({ error: `${name} thresholds must be numbers (${unit}).` })
    .finite({ error: `${name} thresholds must be finite numbers (${unit}).` })
    .min(0, { error: `${name} thresholds cannot be negative.` })
    .max(max, { error: `${name} thresholds cannot be above ${max} ${unit}.` });
  return z
    .object({ degraded: limit, unhealthy: limit })
    .refine(
      (value: ThresholdPair) => (higherIsWorse ? value.unhealthy >= value.degraded : value.unhealthy <= value.degraded),
      higherIsWorse
        ? { error: `${name}: the unhealthy threshold must be at or above the degraded one.`, path: ["unhealthy"] }
        : { error: `${name}: the unhealthy threshold must be at or below the degraded one (lower availability is worse).`, path: ["unhealthy"] },
    );
}

/** One tier's thresholds as admins edit them (without the tier, which is the row's key). */
export const tierThresholdsInput = z.strictObject({
  failureRatePct: pair("Failure rate", "%", 100, true),
  p95DurationMs: pair("p95 duration", "ms", 600_000, true),
  availabilityPct: pair("Availability", "%", 100, false),
  restarts: pair("Restarts", "restarts", 10_000, true),
  minRequests: z
    .number({ error: "The minimum number of requests must be a whole number." })
    .int({ error: "The minimum number of requests must be a whole number." })
    .min(0, { error: "The minimum number of requests cannot be negative." })
    .max(1_000_000, { error: "The minimum number of requests cannot be above 1,000,000." }),
});

export type TierThresholdsInput = z.infer<typeof tierThresholdsInput>;

/**
 * A tier's thresholds: its stored row when there is one that still reads as
 * valid, otherwise the defaults (a tier Wharf does not know gets "standard").
 */
export function thresholdsForTier(tier: string, stored: readonly { tier: string; thresholds: unknown }[]): TierThresholds {
  const row = stored.find((candidate) => candidate.tier === tier);
  const parsed = row ? tierThresholdsInput.safeParse(row.thresholds) : undefined;
  if (parsed?.success) return { tier, ...parsed.data };
  const defaults = (tiers as readonly string[]).includes(tier) ? defaultThresholds[tier as Tier] : defaultThresholds.standard;
  return { tier, ...structuredClone(defaults) };
}
