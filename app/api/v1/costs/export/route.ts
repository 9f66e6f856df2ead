import { withAuth } from "@/lib/auth/route";
import { attachment } from "@/lib/api/content-disposition";
import { getCosts } from "@/lib/costs/get-costs";
import { costCsv } from "@/lib/costs/cost-csv";

// The same figures as GET /api/v1/costs (same query, same permission), as CSV: one row per day and line.
export const GET = withAuth(async (request, { actor }) => {
  const params = request.nextUrl.searchParams;
  const query = Object.fromEntries(["groupBy", "from", "to"].flatMap((name) => (params.has(name) ? [[name, params.get(name)]] : [])));
  const view = await getCosts({ actor, query });
  return new Response(costCsv(view), {
    headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": attachment(`wharf-cost-${view.groupBy}-${view.from}-${view.to}.csv`) },
  });
});
