"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ServiceFormState } from "@/lib/actions/action-state";

export function RetireServiceButton({ action, slug, name }: { action: (state: ServiceFormState, form: FormData) => Promise<ServiceFormState>; slug: string; name: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form
      action={formAction}
      onSubmit={(event) => {
        if (!window.confirm(`Retire ${name}? It leaves the catalog lists and can no longer be changed; its history and slug are kept.`)) event.preventDefault();
      }}
    >
      <input type="hidden" name="slug" value={slug} />
      <Button type="submit" variant="destructive" disabled={pending}>
        Retire
      </Button>
      {state.status === "error" && (
        <p role="alert" className="mt-1 text-sm text-destructive">
          {state.message}
        </p>
      )}
    </form>
  );
}
