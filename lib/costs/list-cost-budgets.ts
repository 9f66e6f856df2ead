// The budgets a person may see (cost:read: their teams', all for admins),
// where this month stands against each, and the teams whose budget they may
// set (budget:manage), for GET /api/v1/costs/budgets and /costs.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { monthOf } from "./sync-plan";
import { budgetSelect, budgetViews, costBudgetView } from "./cost-budget-view";

export const costBudgetList = z.object({
  month: z.string(),
  budgets: z.array(costBudgetView),
  manageable: z.array(z.object({ team: z.string(), teamName: z.string(), hasBudget: z.boolean() })).describe("Teams whose budget you may set."),
});

export type CostBudgetList = z.infer<typeof costBudgetList>;

export async function listCostBudgets({ actor, now = new Date() }: { actor: Actor; now?: Date }): Promise<CostBudgetList> {
  const admin = can(actor, "cost:read");
  const ownTeams = actor.kind === "system" ? [] : actor.teams.filter((team) => can(actor, "cost:read", { teamId: team.id }));
  if (!admin && ownTeams.length === 0) throw forbidden("cost:read");
  const prisma = getPrisma();
  const month = monthOf(now);
  const [budgets, teams] = await Promise.all([
    prisma.costBudget.findMany({
      where: { team: { archivedAt: null }, ...(admin ? {} : { teamId: { in: ownTeams.map((team) => team.id) } }) },
      select: budgetSelect,
      orderBy: { team: { name: "asc" } },
    }),
    prisma.team.findMany({
      where: { archivedAt: null, ...(admin ? {} : { id: { in: ownTeams.map((team) => team.id) } }) },
      select: { id: true, slug: true, name: true },
      orderBy: { name: "asc" },
    }),
  ]);
  const withBudget = new Set(budgets.map((budget) => budget.teamId));
  return {
    month,
    budgets: await budgetViews(prisma, budgets, month),
    manageable: teams
      .filter((team) => can(actor, "budget:manage", { teamId: team.id }))
      .map((team) => ({ team: team.slug, teamName: team.name, hasBudget: withBudget.has(team.id) })),
  };
}
