"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { addPipelineIdentity } from "@/lib/pipelines/add-pipeline-identity";
import { revokePipelineIdentity } from "@/lib/pipelines/revoke-pipeline-identity";

export interface PipelineFormState {
  status: "idle" | "saved" | "error";
  message?: string;
  field?: string;
  /** What the admin typed, put back after React resets the form. */
  values?: { clientId?: string; objectId?: string; displayName?: string; teamIds?: string[] };
}

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function addPipelineIdentityAction(_previous: PipelineFormState, form: FormData): Promise<PipelineFormState> {
  const actor = await requireActor();
  const input = { clientId: field(form, "clientId"), objectId: field(form, "objectId"), displayName: field(form, "displayName"), teamIds: form.getAll("teamIds").map(String) };
  try {
    const identity = await addPipelineIdentity({ actor, input });
    revalidatePath("/admin/pipelines");
    return { status: "saved", message: `${identity.displayName} may now deploy for ${identity.teams.map((team) => team.name).join(", ")}.` };
  } catch (error) {
    if (isAppError(error)) return { status: "error", message: error.message, field: error.path?.[0]?.toString(), values: input };
    throw error;
  }
}

export async function revokePipelineIdentityAction(_previous: PipelineFormState, form: FormData): Promise<PipelineFormState> {
  const actor = await requireActor();
  try {
    const identity = await revokePipelineIdentity({ actor, id: field(form, "id") });
    revalidatePath("/admin/pipelines");
    return { status: "saved", message: `${identity.displayName} revoked.` };
  } catch (error) {
    if (isAppError(error)) return { status: "error", message: error.message };
    throw error;
  }
}
