"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { ApplyOutcome, PreviewOutcome } from "@/lib/actions/action-state";
import { applyImport, previewImport } from "@/lib/catalog/import-catalog";
import { MAX_CATALOG_FILE_BYTES } from "@/lib/catalog/backstage/parse-catalog-info";

async function fileOf(form: FormData): Promise<Uint8Array | string | { tooLarge: true }> {
  const upload = form.get("file");
  if (upload instanceof File && upload.size > 0) {
    if (upload.size > MAX_CATALOG_FILE_BYTES) return { tooLarge: true };
    return new Uint8Array(await upload.arrayBuffer());
  }
  return String(form.get("text") ?? "");
}

const tooLargeMessage = `The file is larger than ${MAX_CATALOG_FILE_BYTES / 1024 / 1024} MB; split it into smaller files.`;

export const previewImportAction = serverAction(
  async (actor, form: FormData): Promise<PreviewOutcome> => {
    const file = await fileOf(form);
    if (typeof file === "object" && "tooLarge" in file) return { ok: false, message: tooLargeMessage };
    if (typeof file === "string" && file.trim() === "") return { ok: false, message: "Paste a catalog-info.yaml or choose a file first." };
    const plan = await previewImport({ actor, file });
    return { ok: true, plan: { ...plan, items: plan.items.map(({ service: _service, ...item }) => item) } };
  },
  (error): PreviewOutcome => ({ ok: false, message: error.message }),
);

export const applyImportAction = serverAction(
  async (actor, form: FormData): Promise<ApplyOutcome> => {
    const file = await fileOf(form);
    if (typeof file === "object" && "tooLarge" in file) return { ok: false, message: tooLargeMessage };
    const result = await applyImport({ actor, file, confirmed: form.getAll("confirmed").map(String) });
    revalidatePath("/catalog");
    return { ok: true, ...result };
  },
  (error): ApplyOutcome => ({ ok: false, message: error.message }),
);
