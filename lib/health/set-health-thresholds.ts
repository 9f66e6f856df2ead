// An admin sets one tier's health thresholds. Every problem in the input is
// named at once (the field and what to change), so a form can show them all;
// the change and its audit event are written in one transaction.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { tiers } from "@/lib/catalog/service-input";
import { thresholdsForTier, tierThresholdsInput, type TierThresholdsInput } from "@/lib/health/thresholds";
import type { TierThresholdsView } from "@/lib/health/get-health-thresholds";

/** The body of PUT /api/v1/health-thresholds: the tier and all of its thresholds. */
export const setHealthThresholdsInput = tierThresholdsInput.extend({
  tier: z.enum(tiers, { error: `tier must be one of ${tiers.join(", ")}.` }),
});

export interface ThresholdProblem {
  path: string[];
  message: string;
}

/** Every problem with a tier's thresholds, each with the field it is about ("failureRatePct.degraded"). */
export function thresholdProblems(input: unknown): ThresholdProblem[] {
  const parsed = setHealthThresholdsInput.safeParse(input);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const path = issue.path.map(String);
    // An unknown key is reported on the object; name the keys themselves.
    if (issue.code === "unrecognized_keys")
      return {
        path: [...path, ...issue.keys],
        message: `Unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}: leave ${issue.keys.length > 1 ? "them" : "it"} out.`,
      };
    return { path, message: issue.message };
  });
}

export async function setHealthThresholds({ actor, input }: { actor: Actor; input: unknown }): Promise<TierThresholdsView> {
  const prisma = getPrisma();
  if (!can(actor, "health:thresholds:edit")) {
    await recordAuditEvent(prisma, { actor, action: "health_thresholds.update", resourceType: "health_thresholds", outcome: "denied" });
    throw forbidden("health:thresholds:edit");
  }
  const problems = thresholdProblems(input);
  if (problems.length > 0) {
    const message = problems.map((problem) => `${problem.path.join(".") || "body"}: ${problem.message}`).join(" ");
    throw new AppError("invalid_input", message, { path: problems[0]!.path });
  }
  const { tier, ...thresholds } = setHealthThresholdsInput.parse(input);
  return prisma.$transaction(async (tx) => {
    const before = thresholdsForTier(tier, await tx.healthThresholds.findMany({ where: { tier } }));
    const stored: TierThresholdsInput = thresholds;
    const row = await tx.healthThresholds.upsert({ where: { tier }, create: { tier, thresholds: stored }, update: { thresholds: stored } });
    await recordAuditEvent(tx, {
      actor,
      action: "health_thresholds.update",
      resourceType: "health_thresholds",
      resourceId: tier,
      outcome: "success",
      before,
      after: { tier, ...stored },
    });
    return { tier, ...stored, isDefault: false, updatedAt: row.updatedAt.toISOString() };
  });
}
