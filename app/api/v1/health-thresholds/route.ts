import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { getHealthThresholds } from "@/lib/health/get-health-thresholds";
import { setHealthThresholds } from "@/lib/health/set-health-thresholds";

export const GET = withAuth(async (_request, { actor }) => Response.json({ tiers: await getHealthThresholds({ actor }) }));

/** Replaces one tier's thresholds (admins): { tier, failureRatePct, p95DurationMs, availabilityPct, restarts, minRequests }. */
export const PUT = withAuth(async (request, { actor }) =>
  Response.json(await setHealthThresholds({ actor, input: await jsonObjectBody(request, "a tier's health thresholds") })),
);
