"use client";
import { useActionState } from "react";
import { ConfirmSubmitButton } from "@/components/ui/confirm-submit-button";
import type { ServiceFormState } from "@/lib/actions/action-state";

export function RetireServiceButton({
  action,
  slug,
  name,
}: {
  action: (state: ServiceFormState, form: FormData) => Promise<ServiceFormState>;
  slug: string;
  name: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction}>
      <input type="hidden" name="slug" value={slug} />
      <ConfirmSubmitButton
        title={`Retire ${name}?`}
        description="It leaves the catalog lists and can no longer be changed; its history and slug are kept."
        confirmLabel="Retire"
        disabled={pending}
      >
        Retire
      </ConfirmSubmitButton>
      {state.status === "error" && (
        <p role="alert" className="mt-1 text-sm text-destructive">
          {state.message}
        </p>
      )}
    </form>
  );
}
