// Removes a team's budget (budget:manage): no more threshold notifications;
// the thresholds it crossed go with it. Audited in the transaction.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { budgetTeam } from "./set-cost-budget";

export const costBudgetRemoval = z.object({ team: z.string(), removed: z.literal(true) });

export async function deleteCostBudget({ actor, team: slug }: { actor: Actor; team: string }): Promise<z.infer<typeof costBudgetRemoval>> {
  const team = await budgetTeam(actor, slug, "cost.budget.delete");
  return getPrisma().$transaction(async (tx) => {
    const before = await tx.costBudget.findUnique({ where: { teamId: team.id } });
    if (!before) throw new AppError("not_found", `Team "${slug}" has no budget.`);
    await tx.costBudget.delete({ where: { teamId: team.id } });
    await recordAuditEvent(tx, {
      actor,
      action: "cost.budget.delete",
      resourceType: "cost-budget",
      resourceId: team.id,
      outcome: "success",
      before: {
        amountMinor: Number(before.amountMinor),
        currency: before.currency,
        actualThresholds: before.actualThresholds,
        forecastThresholds: before.forecastThresholds,
      },
      detail: `Budget of team ${team.slug}`,
    });
    return { team: team.slug, removed: true as const };
  });
}
