"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { JobActionState } from "@/lib/actions/action-state";

export function RetryJobButton({
  action,
  id,
  label,
}: {
  action: (state: JobActionState, form: FormData) => Promise<JobActionState>;
  id: string;
  label: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="space-y-1">
      <input type="hidden" name="id" value={id} />
      <Button type="submit" size="sm" variant="outline" disabled={pending || state.status === "done"} aria-label={`Retry ${label}`}>
        {pending ? "Retrying…" : "Retry"}
      </Button>
      {state.status !== "idle" && (
        <p role={state.status === "error" ? "alert" : "status"} className={state.status === "error" ? "max-w-xs text-xs text-destructive" : "max-w-xs text-xs"}>
          {state.message}
        </p>
      )}
    </form>
  );
}
