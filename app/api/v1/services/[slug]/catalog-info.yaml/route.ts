import { withAuth } from "@/lib/auth/route";
import { attachment } from "@/lib/api/content-disposition";
import { exportCatalog } from "@/lib/catalog/export-catalog";

type Context = { params: Promise<{ slug: string }> };

export const GET = withAuth<Context>(async (_request, { actor, params }) => {
  const { slug } = await params;
  return new Response(await exportCatalog({ actor, slug }), {
    headers: { "content-type": "application/yaml; charset=utf-8", "content-disposition": attachment(`${slug}.catalog-info.yaml`) },
  });
});
