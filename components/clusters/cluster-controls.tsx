"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ClusterActionState } from "@/lib/actions/action-state";

export function RefreshClustersButton({ action }: { action: () => Promise<ClusterActionState> }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <Button type="submit" disabled={pending}>
        {pending ? "Discovering…" : "Discover clusters now"}
      </Button>
      {state.status !== "idle" && (
        <p
          role={state.status === "error" ? "alert" : "status"}
          className={state.status === "error" ? "text-sm font-medium text-destructive" : "text-sm font-medium"}
        >
          {state.message}
        </p>
      )}
    </form>
  );
}

export function EnvironmentSelect({
  action,
  id,
  name,
  value,
}: {
  action: (state: ClusterActionState, form: FormData) => Promise<ClusterActionState>;
  id: string;
  name: string;
  value: string | null;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex items-center gap-2">
      <input type="hidden" name="id" value={id} />
      <label className="sr-only" htmlFor={`env-${id}`}>
        Environment of {name}
      </label>
      <select id={`env-${id}`} name="environment" defaultValue={value ?? ""} className="h-8 rounded-md border border-border bg-background px-2 text-sm">
        <option value="">Not set</option>
        <option value="dev">dev</option>
        <option value="test">test</option>
        <option value="prod">prod</option>
      </select>
      <Button type="submit" size="sm" variant="outline" disabled={pending} aria-label={`Save the environment of ${name}`}>
        Save
      </Button>
      {state.status === "error" && (
        <span role="alert" className="text-xs text-destructive">
          {state.message}
        </span>
      )}
    </form>
  );
}
