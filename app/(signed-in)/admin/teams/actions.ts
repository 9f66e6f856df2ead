"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { TeamFormState } from "@/lib/actions/action-state";
import type { AppError } from "@/lib/errors";
import { createTeam } from "@/lib/teams/create-team";
import { updateTeam } from "@/lib/teams/update-team";
import { archiveTeam } from "@/lib/teams/archive-team";
import { splitGroupIds } from "@/lib/teams/team-input";

function refuse(error: AppError, _previous: TeamFormState, form: FormData): TeamFormState {
  const values = Object.fromEntries([...form.entries()].filter(([name]) => !name.startsWith("$")).map(([name, value]) => [name, String(value)]));
  return { status: "error", message: error.message, field: error.path?.[0]?.toString(), values };
}

const notVerified = (reason?: string) => (reason ? ` Its Entra groups could not be checked against the directory (${reason}); check the IDs in Entra ID.` : "");

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

export const createTeamAction = serverAction(async (actor, _previous: TeamFormState, form: FormData): Promise<TeamFormState> => {
  const { team, groupsNotVerified } = await createTeam({
    actor,
    input: {
      slug: field(form, "slug"),
      name: field(form, "name"),
      entraGroupIds: splitGroupIds(field(form, "entraGroupIds")),
      costCenter: field(form, "costCenter"),
    },
  });
  revalidatePath("/admin/teams");
  return { status: "done", message: `Team ${team.name} created.${notVerified(groupsNotVerified)}` };
}, refuse);

export const updateTeamAction = serverAction(async (actor, _previous: TeamFormState, form: FormData): Promise<TeamFormState> => {
  const { team, groupsNotVerified } = await updateTeam({
    actor,
    slug: field(form, "slug"),
    input: { name: field(form, "name"), entraGroupIds: splitGroupIds(field(form, "entraGroupIds")), costCenter: field(form, "costCenter") },
  });
  revalidatePath("/admin/teams");
  return { status: "done", message: `Team ${team.name} saved.${notVerified(groupsNotVerified)}` };
}, refuse);

export const archiveTeamAction = serverAction(async (actor, _previous: TeamFormState, form: FormData): Promise<TeamFormState> => {
  const team = await archiveTeam({ actor, slug: field(form, "slug") });
  revalidatePath("/admin/teams");
  return { status: "done", message: `Team ${team.name} archived.` };
}, refuse);
