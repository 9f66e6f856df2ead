import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { createService } from "@/lib/catalog/create-service";
import type { ServiceInput } from "@/lib/catalog/service-input";
import { listServices } from "@/lib/catalog/list-services";

export const GET = withAuth(async (request, { actor }) =>
  Response.json(await listServices({ actor, query: Object.fromEntries(request.nextUrl.searchParams) })),
);

export const POST = withAuth(async (request, { actor }) => {
  // The use case parses it with the one service schema; the type only names what it should be.
  const body = (await jsonObjectBody(request, "a service")) as ServiceInput;
  return Response.json(await createService({ actor, input: body }), { status: 201 });
});
