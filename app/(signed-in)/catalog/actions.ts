"use server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { ActionState, ServiceFormState } from "@/lib/actions/action-state";
import type { AppError } from "@/lib/errors";
import { createService } from "@/lib/catalog/create-service";
import { updateService } from "@/lib/catalog/update-service";
import { retireService } from "@/lib/catalog/retire-service";
import { declareDependency } from "@/lib/catalog/declare-dependency";
import { serviceFromForm, type ServiceFormValues } from "@/lib/catalog/service-form";

function valuesOf(form: FormData): ServiceFormValues {
  return Object.fromEntries([...form.entries()].filter(([name]) => !name.startsWith("$")).map(([name, value]) => [name, String(value)]));
}

const refuse = (error: AppError, _state: ServiceFormState, form: FormData): ServiceFormState => ({
  status: "error",
  message: error.message,
  field: error.path?.join("."),
  values: valuesOf(form),
});

export const createServiceAction = serverAction(async (actor, _state: ServiceFormState, form: FormData): Promise<ServiceFormState> => {
  const { slug } = await createService({ actor, input: serviceFromForm(valuesOf(form)) });
  revalidatePath("/catalog");
  redirect(`/catalog/${slug}?saved=created`);
}, refuse);

export const updateServiceAction = serverAction(async (actor, _state: ServiceFormState, form: FormData): Promise<ServiceFormState> => {
  const values = valuesOf(form);
  const slug = values.slug ?? "";
  const { slug: _slug, ...input } = serviceFromForm(values);
  await updateService({ actor, slug, input });
  revalidatePath(`/catalog/${slug}`);
  redirect(`/catalog/${slug}?saved=updated`);
}, refuse);

export const retireServiceAction = serverAction(
  async (actor, _state: ServiceFormState, form: FormData): Promise<ServiceFormState> => {
    const slug = String(form.get("slug") ?? "");
    await retireService({ actor, slug });
    revalidatePath(`/catalog/${slug}`);
    redirect(`/catalog/${slug}?saved=retired`);
  },
  (error): ServiceFormState => ({ status: "error", message: error.message, field: error.path?.join("."), values: {} }),
);

/** "Add to the catalog" for a call the map observed: from the service page it comes back with a notice, from the map with a message. */
export const declareDependencyAction = serverAction(
  async (actor, _state: ActionState, form: FormData): Promise<ActionState> => {
    const slug = String(form.get("slug") ?? "");
    const dependsOn = String(form.get("dependsOn") ?? "");
    const { added } = await declareDependency({ actor, slug, dependsOn });
    revalidatePath(`/catalog/${slug}`);
    revalidatePath("/map");
    if (form.get("returnTo") === "service") redirect(`/catalog/${slug}?saved=declared`);
    return { status: "done", message: added ? `Added: ${slug} now declares ${dependsOn} in the catalog.` : `${slug} already declared ${dependsOn}.` };
  },
  (error): ActionState => ({ status: "error", message: error.message }),
);
