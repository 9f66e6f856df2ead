"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions/action-state";

/** An admin's "sync now" (and the retry after a failed sync): queues the sync job and says what happened. */
export function SyncCostsButton({ action, label }: { action: () => Promise<ActionState<never>>; label: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction} className="flex flex-wrap items-center gap-3">
      <Button type="submit" size="sm" variant="outline" disabled={pending}>
        {pending ? "Queuing…" : label}
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
