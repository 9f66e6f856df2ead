"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { applyImport, previewImport, type ImportPlan } from "@/lib/catalog/import-catalog";
import { MAX_CATALOG_FILE_BYTES } from "@/lib/catalog/backstage/parse-catalog-info";

export type PreviewOutcome = { ok: true; plan: Omit<ImportPlan, "items"> & { items: Omit<ImportPlan["items"][number], "service">[] } } | { ok: false; message: string };
export type ApplyOutcome = { ok: true; created: string[]; updated: string[] } | { ok: false; message: string };

async function fileOf(form: FormData): Promise<Uint8Array | string | { tooLarge: true }> {
  const upload = form.get("file");
  if (upload instanceof File && upload.size > 0) {
    if (upload.size > MAX_CATALOG_FILE_BYTES) return { tooLarge: true };
    return new Uint8Array(await upload.arrayBuffer());
  }
  return String(form.get("text") ?? "");
}

const tooLargeMessage = `The file is larger than ${MAX_CATALOG_FILE_BYTES / 1024 / 1024} MB; split it into smaller files.`;

export async function previewImportAction(form: FormData): Promise<PreviewOutcome> {
  const actor = await requireActor();
  const file = await fileOf(form);
  if (typeof file === "object" && "tooLarge" in file) return { ok: false, message: tooLargeMessage };
  if (typeof file === "string" && file.trim() === "") return { ok: false, message: "Paste a catalog-info.yaml or choose a file first." };
  try {
    const plan = await previewImport({ actor, file });
    return { ok: true, plan: { ...plan, items: plan.items.map(({ service: _service, ...item }) => item) } };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    throw error;
  }
}

export async function applyImportAction(form: FormData): Promise<ApplyOutcome> {
  const actor = await requireActor();
  const file = await fileOf(form);
  if (typeof file === "object" && "tooLarge" in file) return { ok: false, message: tooLargeMessage };
  try {
    const result = await applyImport({ actor, file, confirmed: form.getAll("confirmed").map(String) });
    revalidatePath("/catalog");
    return { ok: true, ...result };
  } catch (error) {
    if (isAppError(error)) return { ok: false, message: error.message };
    throw error;
  }
}
