import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { serviceInclude, toParsedService, toServiceView } from "@/lib/catalog/service-view";
import { writeCatalogInfo } from "@/lib/catalog/backstage/write-catalog-info";

/** catalog-info.yaml for one service, or for every active service (optionally of one team). */
export async function exportCatalog({ actor, slug, team }: { actor: Actor; slug?: string; team?: string }): Promise<string> {
  if (!can(actor, "service:read")) throw forbidden("service:read");
  const rows = await getPrisma().service.findMany({
    where: slug ? { slug } : { retiredAt: null, ...(team ? { ownerTeam: { slug: team } } : {}) },
    include: serviceInclude,
    orderBy: { slug: "asc" },
  });
  if (slug && rows.length === 0) throw new AppError("not_found", `There is no service "${slug}" in the catalog.`);
  return writeCatalogInfo(rows.map((row) => toParsedService(toServiceView(row))));
}
