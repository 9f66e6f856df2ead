"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { PipelineFormState } from "@/lib/actions/action-state";
import { addPipelineIdentity } from "@/lib/pipelines/add-pipeline-identity";
import { revokePipelineIdentity } from "@/lib/pipelines/revoke-pipeline-identity";

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

const pipelineInput = (form: FormData) => ({
  clientId: field(form, "clientId"),
  objectId: field(form, "objectId"),
  displayName: field(form, "displayName"),
  teamIds: form.getAll("teamIds").map(String),
});

export const addPipelineIdentityAction = serverAction(
  async (actor, _previous: PipelineFormState, form: FormData): Promise<PipelineFormState> => {
    const identity = await addPipelineIdentity({ actor, input: pipelineInput(form) });
    revalidatePath("/admin/pipelines");
    return { status: "done", message: `${identity.displayName} may now deploy for ${identity.teams.map((team) => team.name).join(", ")}.` };
  },
  (error, _previous, form): PipelineFormState => ({ status: "error", message: error.message, field: error.path?.[0]?.toString(), values: pipelineInput(form) }),
);

export const revokePipelineIdentityAction = serverAction(
  async (actor, _previous: PipelineFormState, form: FormData): Promise<PipelineFormState> => {
    const identity = await revokePipelineIdentity({ actor, id: field(form, "id") });
    revalidatePath("/admin/pipelines");
    return { status: "done", message: `${identity.displayName} revoked.` };
  },
  (error): PipelineFormState => ({ status: "error", message: error.message }),
);
