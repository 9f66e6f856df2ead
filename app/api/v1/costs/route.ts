import { withAuth } from "@/lib/auth/route";
import { getCosts } from "@/lib/costs/get-costs";

// Stored cost (never Azure): ?groupBy=team|namespace|cluster|service&from=YYYY-MM-DD&to=YYYY-MM-DD.
export const GET = withAuth(async (request, { actor }) => {
  const params = request.nextUrl.searchParams;
  const query = Object.fromEntries(["groupBy", "from", "to"].flatMap((name) => (params.has(name) ? [[name, params.get(name)]] : [])));
  return Response.json(await getCosts({ actor, query }));
});
