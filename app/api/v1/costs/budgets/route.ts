import { withAuth } from "@/lib/auth/route";
import { listCostBudgets } from "@/lib/costs/list-cost-budgets";

/** The budgets you may see, this month against each, and the teams whose budget you may set. */
export const GET = withAuth(async (_request, { actor }) => Response.json(await listCostBudgets({ actor })));
