import { withAuth } from "@/lib/auth/route";
import { jsonObjectBody } from "@/lib/api/json-body";
import { createService } from "@/lib/catalog/create-service";
import type { ServiceInput } from "@/lib/catalog/service-input";
import { listServices } from "@/lib/catalog/list-services";

/** A page of services; `next` (and a `Link: rel="next"` header) until the last page. */
export const GET = withAuth(async (request, { actor }) => {
  const page = await listServices({ actor, query: Object.fromEntries(request.nextUrl.searchParams) });
  let next: string | null = null;
  if (page.nextCursor) {
    const params = new URLSearchParams(request.nextUrl.searchParams);
    params.delete("page");
    params.set("cursor", page.nextCursor);
    next = `${request.nextUrl.pathname}?${params.toString()}`;
  }
  const headers = next ? { link: `<${next}>; rel="next"` } : undefined;
  return Response.json({ ...page, next }, { headers });
});

export const POST = withAuth(async (request, { actor }) => {
  // The use case parses it with the one service schema; the type only names what it should be.
  const body = (await jsonObjectBody(request, "a service")) as ServiceInput;
  return Response.json(await createService({ actor, input: body }), { status: 201 });
});
