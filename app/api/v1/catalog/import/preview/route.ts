import { withAuth } from "@/lib/auth/route";
import { readBody } from "@/lib/api/read-body";
import { previewImport } from "@/lib/catalog/import-catalog";
import { MAX_CATALOG_FILE_BYTES } from "@/lib/catalog/backstage/parse-catalog-info";

/** Body: the catalog-info.yaml file itself. Writes nothing. */
export const POST = withAuth(async (request, { actor }) => {
  const plan = await previewImport({ actor, file: await readBody(request, MAX_CATALOG_FILE_BYTES) });
  return Response.json({ ...plan, items: plan.items.map(({ service: _service, ...item }) => item) });
});
