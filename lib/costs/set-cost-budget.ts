// A team's monthly budget, set or replaced by a member of the team or an
// admin (budget:manage). The currency is the bill's, from the newest stored
// Cost Management row up to today (a row dated later is not the current bill): a budget in another currency could never be compared.
// Audited in the transaction; a refusal is audited too.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { minorUnitDigits } from "./cluster-bill";
import { budgetInput, type BudgetInput } from "./budget-input";
import { budgetSelect, budgetViews, currentBillCurrency, type CostBudgetView } from "./cost-budget-view";
import { monthOf } from "./sync-plan";

/** The team to act on, or 404; a refusal is audited. */
export async function budgetTeam(actor: Actor, slug: string, action: string) {
  const team = await getPrisma().team.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, archivedAt: true } });
  if (!team) throw new AppError("not_found", `There is no team "${slug}".`);
  if (!can(actor, "budget:manage", { teamId: team.id })) {
    await recordAuditEvent(getPrisma(), { actor, action, resourceType: "cost-budget", resourceId: team.id, outcome: "denied" });
    throw forbidden("budget:manage");
  }
  if (team.archivedAt) throw new AppError("conflict", `Team "${slug}" is archived; archived teams have no budget.`);
  return team;
}

export async function setCostBudget({
  actor,
  team: slug,
  input,
  now = new Date(),
}: {
  actor: Actor;
  team: string;
  input: BudgetInput;
  now?: Date;
}): Promise<CostBudgetView> {
  const team = await budgetTeam(actor, slug, "cost.budget.set");
  const data = parseInput(budgetInput, input);
  const prisma = getPrisma();
  const currency = await currentBillCurrency(prisma, now);
  if (!currency)
    throw new AppError(
      "conflict",
      "Wharf has no billed cost yet, so it does not know the bill's currency. Sync cost first (an admin can, on /costs), then set the budget.",
    );
  const digits = minorUnitDigits(currency);
  const amountMinor = Math.round(data.amount * 10 ** digits);
  if (Math.abs(amountMinor - data.amount * 10 ** digits) > 1e-6)
    throw new AppError(
      "invalid_input",
      `amount has more decimals than ${currency} has (${digits}); round it, such as ${(amountMinor / 10 ** digits).toFixed(digits)}.`,
      {
        path: ["amount"],
      },
    );
  const values = {
    amountMinor: BigInt(amountMinor),
    currency,
    actualThresholds: data.actualThresholds,
    forecastThresholds: data.forecastThresholds,
    updatedByName: actor.name,
  };
  return prisma.$transaction(async (tx) => {
    const before = await tx.costBudget.findUnique({ where: { teamId: team.id }, select: budgetSelect });
    const budget = await tx.costBudget.upsert({ where: { teamId: team.id }, create: { teamId: team.id, ...values }, update: values, select: budgetSelect });
    const plain = (b: typeof budget | null) =>
      b && { amountMinor: Number(b.amountMinor), currency: b.currency, actualThresholds: b.actualThresholds, forecastThresholds: b.forecastThresholds };
    await recordAuditEvent(tx, {
      actor,
      action: "cost.budget.set",
      resourceType: "cost-budget",
      resourceId: team.id,
      outcome: "success",
      before: plain(before),
      after: plain(budget),
      detail: `Budget of team ${team.slug}`,
    });
    const [view] = await budgetViews(tx, [budget], monthOf(now));
    return view!;
  });
}
