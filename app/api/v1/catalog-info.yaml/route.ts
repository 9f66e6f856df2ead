import { withAuth } from "@/lib/auth/route";
import { attachment } from "@/lib/api/content-disposition";
import { exportCatalog } from "@/lib/catalog/export-catalog";

/** The whole active catalog (or ?team=<slug>) as one multi-document catalog-info.yaml. */
export const GET = withAuth(async (request, { actor }) => {
  const team = request.nextUrl.searchParams.get("team") ?? undefined;
  return new Response(await exportCatalog({ actor, team }), {
    headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": attachment(`${team ?? "wharf"}.catalog-info.yaml`) },
  });
});
