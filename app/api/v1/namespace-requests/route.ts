import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { listNamespaceRequests } from "@/lib/namespaces/list-namespaces";

export const GET = withAuth(async (request, { actor }) => {
  const query = request.nextUrl.searchParams;
  return Response.json(await listNamespaceRequests({ actor, status: query.get("status") ?? undefined, teamId: query.get("teamId") ?? undefined }));
});

export const POST = withAuth(async (request, { actor }) =>
  Response.json(await requestNamespace({ actor, input: await jsonObjectBody(request, "a namespace request") }), { status: 201 }),
);
