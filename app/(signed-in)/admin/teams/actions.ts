"use server";
import { revalidatePath } from "next/cache";
import { requireActor } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { createTeam } from "@/lib/teams/create-team";
import { updateTeam } from "@/lib/teams/update-team";
import { archiveTeam } from "@/lib/teams/archive-team";
import { splitGroupIds } from "@/lib/teams/team-input";

export interface TeamFormState {
  status: "idle" | "saved" | "error";
  message?: string;
  field?: string;
  /** What the user typed, so React's form reset after the action puts it back instead of clearing it. */
  values?: Record<string, string>;
}

function failure(error: unknown, form: FormData): TeamFormState {
  const values = Object.fromEntries([...form.entries()].filter(([name]) => !name.startsWith("$")).map(([name, value]) => [name, String(value)]));
  if (isAppError(error)) return { status: "error", message: error.message, field: error.path?.[0]?.toString(), values };
  throw error;
}

const notVerified = (reason?: string) => (reason ? ` Its Entra groups could not be checked against the directory (${reason}); check the IDs in Entra ID.` : "");

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

export async function createTeamAction(_previous: TeamFormState, form: FormData): Promise<TeamFormState> {
  const actor = await requireActor();
  try {
    const { team, groupsNotVerified } = await createTeam({
      actor,
      input: { slug: field(form, "slug"), name: field(form, "name"), entraGroupIds: splitGroupIds(field(form, "entraGroupIds")), costCenter: field(form, "costCenter") },
    });
    revalidatePath("/admin/teams");
    return { status: "saved", message: `Team ${team.name} created.${notVerified(groupsNotVerified)}` };
  } catch (error) {
    return failure(error, form);
  }
}

export async function updateTeamAction(_previous: TeamFormState, form: FormData): Promise<TeamFormState> {
  const actor = await requireActor();
  try {
    const { team, groupsNotVerified } = await updateTeam({
      actor,
      slug: field(form, "slug"),
      input: { name: field(form, "name"), entraGroupIds: splitGroupIds(field(form, "entraGroupIds")), costCenter: field(form, "costCenter") },
    });
    revalidatePath("/admin/teams");
    return { status: "saved", message: `Team ${team.name} saved.${notVerified(groupsNotVerified)}` };
  } catch (error) {
    return failure(error, form);
  }
}

export async function archiveTeamAction(_previous: TeamFormState, form: FormData): Promise<TeamFormState> {
  const actor = await requireActor();
  try {
    const team = await archiveTeam({ actor, slug: field(form, "slug") });
    revalidatePath("/admin/teams");
    return { status: "saved", message: `Team ${team.name} archived.` };
  } catch (error) {
    return failure(error, form);
  }
}
