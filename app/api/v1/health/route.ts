import { withAuth } from "@/lib/auth/route";
import { healthQueryKeys, listServiceHealth } from "@/lib/health/list-service-health";

/** Every service × environment's health, a page at a time: ?team=<slug|mine>&environment=&status=&tier=&sort=&page=&pageSize= as on /health. */
export const GET = withAuth(async (request, { actor }) => {
  const params = request.nextUrl.searchParams;
  const query = Object.fromEntries(healthQueryKeys.flatMap((key) => (params.get(key) ? [[key, params.get(key)!]] : [])));
  return Response.json(await listServiceHealth({ actor, query }), { headers: { "cache-control": "no-store" } });
});
