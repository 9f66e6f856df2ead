import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { getCostAllocationRule } from "@/lib/costs/get-cost-allocation-rule";
import { setCostAllocationRule } from "@/lib/costs/set-cost-allocation-rule";

/** How idle capacity and system namespaces' cost are allocated (anyone who may read cost). */
export const GET = withAuth(async (_request, { actor }) => Response.json(await getCostAllocationRule({ actor })));

/** Chooses the rule (admins); the stored months are re-allocated under it by the cost.sample job. */
export const PUT = withAuth(async (request, { actor }) => {
  const body = await jsonObjectBody(request, '"idle" and "system", each one of "proportional", "even", "apart"');
  return Response.json(await setCostAllocationRule({ actor, input: body }));
});
