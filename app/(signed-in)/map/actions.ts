"use server";
import { revalidatePath } from "next/cache";
import { serverAction } from "@/lib/actions/server-action";
import type { ActionState } from "@/lib/actions/action-state";
import { linkRoleName } from "@/lib/catalog/link-role-name";

/** "Link to a service" for a role no catalog entry claims: sets that service's App Insights role name. */
export const linkRoleAction = serverAction(
  async (actor, _state: ActionState, form: FormData): Promise<ActionState> => {
    const role = String(form.get("role") ?? "");
    const slug = String(form.get("slug") ?? "").trim();
    const { linked, previousRole } = await linkRoleName({ actor, slug, role, replace: form.get("replace") === "on" });
    revalidatePath(`/catalog/${slug}`);
    revalidatePath("/map");
    if (!linked) return { status: "done", message: `${slug} already reports as "${role}".` };
    return {
      status: "done",
      message:
        `Linked: ${slug} now reports as "${role}"` +
        (previousRole ? ` (it was "${previousRole}")` : "") +
        ". The map shows it as the service once it is rebuilt, within seconds; reload to see it.",
    };
  },
  (error, _state, form): ActionState => ({
    status: "error",
    message: error.message,
    field: error.path?.join("."),
    values: { slug: String(form.get("slug") ?? "") },
  }),
);
