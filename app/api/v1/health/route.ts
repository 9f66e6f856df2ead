import { withAuth } from "@/lib/auth/route";
import { listServiceHealth } from "@/lib/health/list-service-health";

/** Every service × environment's health, worst first: ?team=<slug|mine>&environment=&status=&tier= as on /health. */
export const GET = withAuth(async (request, { actor }) => {
  const params = request.nextUrl.searchParams;
  const query = Object.fromEntries(["team", "environment", "status", "tier"].flatMap((key) => (params.get(key) ? [[key, params.get(key)!]] : [])));
  return Response.json(await listServiceHealth({ actor, query }), { headers: { "cache-control": "no-store" } });
});
