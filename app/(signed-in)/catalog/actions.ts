"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { createService } from "@/lib/catalog/create-service";
import { updateService } from "@/lib/catalog/update-service";
import { retireService } from "@/lib/catalog/retire-service";
import { serviceFromForm, type ServiceFormValues } from "@/lib/catalog/service-form";

export interface ServiceFormState {
  status: "idle" | "error";
  message?: string;
  /** The input path of the field the message is about, e.g. "deploySpec.memoryLimit". */
  field?: string;
  values?: ServiceFormValues;
}

function valuesOf(form: FormData): ServiceFormValues {
  return Object.fromEntries([...form.entries()].filter(([name]) => !name.startsWith("$")).map(([name, value]) => [name, String(value)]));
}

function failure(error: unknown, values: ServiceFormValues): ServiceFormState {
  if (!isAppError(error)) throw error;
  return { status: "error", message: error.message, field: error.path?.join("."), values };
}

export async function createServiceAction(_state: ServiceFormState, form: FormData): Promise<ServiceFormState> {
  const actor = await requireActor();
  const values = valuesOf(form);
  let slug: string;
  try {
    slug = (await createService({ actor, input: serviceFromForm(values) })).slug;
  } catch (error) {
    return failure(error, values);
  }
  revalidatePath("/catalog");
  redirect(`/catalog/${slug}?saved=created`);
}

export async function updateServiceAction(_state: ServiceFormState, form: FormData): Promise<ServiceFormState> {
  const actor = await requireActor();
  const values = valuesOf(form);
  const slug = values.slug ?? "";
  try {
    const { slug: _slug, ...input } = serviceFromForm(values);
    await updateService({ actor, slug, input });
  } catch (error) {
    return failure(error, values);
  }
  revalidatePath(`/catalog/${slug}`);
  redirect(`/catalog/${slug}?saved=updated`);
}

export async function retireServiceAction(_state: ServiceFormState, form: FormData): Promise<ServiceFormState> {
  const actor = await requireActor();
  const slug = String(form.get("slug") ?? "");
  try {
    await retireService({ actor, slug });
  } catch (error) {
    return failure(error, {});
  }
  revalidatePath(`/catalog/${slug}`);
  redirect(`/catalog/${slug}?saved=retired`);
}
