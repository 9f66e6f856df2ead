"use client";
// "Add to the catalog": one click declares a call the map observed as a
// dependency of the calling service (owning team only; the server checks).
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions/action-state";

export type DeclareDependencyAction = (state: ActionState, form: FormData) => Promise<ActionState>;

export function DeclareDependencyButton({
  action,
  slug,
  dependsOn,
  returnTo,
}: {
  action: DeclareDependencyAction;
  slug: string;
  dependsOn: string;
  returnTo?: "service";
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="dependsOn" value={dependsOn} />
      {returnTo && <input type="hidden" name="returnTo" value={returnTo} />}
      {state.status !== "done" && (
        <Button type="submit" variant="outline" size="sm" disabled={pending} aria-label={`Add ${dependsOn} to ${slug}'s declared dependencies in the catalog`}>
          {pending ? "Adding…" : "Add to the catalog"}
        </Button>
      )}
      {state.message && (
        <p role={state.status === "error" ? "alert" : "status"} className={`text-sm ${state.status === "error" ? "text-destructive" : "text-success"}`}>
          {state.message}
        </p>
      )}
    </form>
  );
}
