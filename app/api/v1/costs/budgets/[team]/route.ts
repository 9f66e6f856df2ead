import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { setCostBudget } from "@/lib/costs/set-cost-budget";
import { deleteCostBudget } from "@/lib/costs/delete-cost-budget";

type Context = { params: Promise<{ team: string }> };

/** Sets or replaces the team's monthly budget (members of the team, admins). */
export const PUT = withAuth<Context>(async (request, { actor, params }) => {
  const body = await jsonObjectBody(request, '"amount" and optionally "actualThresholds", "forecastThresholds"');
  return Response.json(await setCostBudget({ actor, team: (await params).team, input: body as never }));
});

export const DELETE = withAuth<Context>(async (_request, { actor, params }) => Response.json(await deleteCostBudget({ actor, team: (await params).team })));
