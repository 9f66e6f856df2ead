import type { Metadata } from "next";
import { ImportForm } from "@/components/catalog/import-form";
import { requirePermission } from "@/lib/auth/current-actor";
import { MAX_CATALOG_FILE_BYTES } from "@/lib/catalog/backstage/parse-catalog-info";
import { applyImportAction, previewImportAction } from "./actions";

export const metadata: Metadata = { title: "Import catalog-info.yaml" };

export default async function ImportPage() {
  await requirePermission("service:read");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-3xl font-bold">Import catalog-info.yaml</h1>
        <p className="text-muted-foreground">
          Bring your Backstage catalog: Wharf imports documents of kind Component. You see what will be created, updated or left alone first; nothing is written
          until you confirm, and then all of it or none.
        </p>
      </div>
      <ImportForm preview={previewImportAction} apply={applyImportAction} maxBytes={MAX_CATALOG_FILE_BYTES} />
    </div>
  );
}
