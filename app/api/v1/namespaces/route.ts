import { withAuth } from "@/lib/auth/route";
import { listNamespaces } from "@/lib/namespaces/list-namespaces";

export const GET = withAuth(async (request, { actor }) => {
  const query = request.nextUrl.searchParams;
  return Response.json(
    await listNamespaces({
      actor,
      teamId: query.get("teamId") ?? undefined,
      clusterId: query.get("clusterId") ?? undefined,
      includeDecommissioned: query.get("includeDecommissioned") === "true",
    }),
  );
});
