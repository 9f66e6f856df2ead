import { withAuth } from "@/lib/auth/route";
import { AppError } from "@/lib/errors";
import { createService } from "@/lib/catalog/create-service";
import { listServices } from "@/lib/catalog/list-services";

export const GET = withAuth(async (request, { actor }) => Response.json(await listServices({ actor, query: Object.fromEntries(request.nextUrl.searchParams) })));

export const POST = withAuth(async (request, { actor }) => {
  const body = await request.json().catch(() => {
    throw new AppError("invalid_input", "The request body must be a JSON service; see /api/v1/openapi.json for its fields.");
  });
  return Response.json(await createService({ actor, input: body }), { status: 201 });
});
