import { withAuth } from "@/lib/auth/route";
import { getMap } from "@/lib/appmap/get-map";

// The stored map snapshot (never Azure): ?window=1h|24h|7d&team=<slug>&environment=<name>.
export const GET = withAuth(async (request, { actor }) => {
  const params = request.nextUrl.searchParams;
  const query = Object.fromEntries(["window", "team", "environment"].flatMap((name) => (params.has(name) ? [[name, params.get(name)]] : [])));
  return Response.json(await getMap({ actor, query }));
});
