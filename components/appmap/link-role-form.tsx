"use client";
// "Link to a service" for a role telemetry reports that no catalog entry
// claims: the person picks one of the services they may change (the server
// checks again) and the role becomes that service's App Insights role name.
import { useActionState, useId } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { ActionState } from "@/lib/actions/action-state";

export type LinkRoleAction = (state: ActionState, form: FormData) => Promise<ActionState>;

export function LinkRoleForm({ action, role, servicesListId }: { action: LinkRoleAction; role: string; servicesListId: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const id = useId();
  const error = state.status === "error";
  if (state.status === "done") {
    return (
      <p role="status" className="text-sm text-success">
        {state.message}
      </p>
    );
  }
  return (
    <form action={formAction} className="flex flex-wrap items-end gap-2" aria-label={`Link the role ${role} to a service`}>
      <input type="hidden" name="role" value={role} />
      <div className="space-y-1">
        <label htmlFor={`${id}-slug`} className="text-xs text-muted-foreground">
          Service (slug)
        </label>
        <Input
          id={`${id}-slug`}
          name="slug"
          list={servicesListId}
          required
          defaultValue={state.values?.slug ?? ""}
          className="h-8 w-64"
          aria-invalid={error && state.field !== "replace" ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
      </div>
      <label className="flex items-center gap-1 pb-1.5 text-xs">
        <input type="checkbox" name="replace" /> replace the role name it has
      </label>
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        {pending ? "Linking…" : "Link to this service"}
      </Button>
      {error && (
        <p id={`${id}-error`} role="alert" className="w-full text-sm text-destructive">
          {state.message}
        </p>
      )}
    </form>
  );
}
