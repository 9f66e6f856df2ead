"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import type { ActionState } from "@/lib/actions/action-state";

export type SharingChoice = "proportional" | "even" | "apart";
export type AllocationRuleFormValues = { idle?: string; system?: string };

const choices: { value: SharingChoice; label: string }[] = [
  { value: "proportional", label: "Proportional" },
  { value: "even", label: "Even" },
  { value: "apart", label: "Apart" },
];

/**
 * An admin's choice of how idle capacity and system namespaces' cost are allocated: one set of radio buttons for each,
 * every option with what it does in plain words. After a change the server says the months are being recomputed.
 */
export function AllocationRuleForm({
  action,
  rule,
  meanings,
}: {
  action: (state: ActionState<AllocationRuleFormValues>, form: FormData) => Promise<ActionState<AllocationRuleFormValues>>;
  rule: { idle: SharingChoice; system: SharingChoice };
  meanings: Record<SharingChoice, string>;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const values = { ...rule, ...state.values };
  const group = (name: "idle" | "system", legend: string, about: string) => (
    <fieldset className="space-y-2" aria-describedby={`rule-${name}-about`}>
      <legend className="text-sm font-medium">{legend}</legend>
      <p id={`rule-${name}-about`} className="text-xs text-muted-foreground">
        {about}
      </p>
      {choices.map((choice) => (
        <label key={choice.value} className="flex items-start gap-2 text-sm">
          <input type="radio" name={name} value={choice.value} defaultChecked={values[name] === choice.value} className="mt-1" />
          <span>
            <span className="font-medium">{choice.label}</span>: {meanings[choice.value]}.
          </span>
        </label>
      ))}
      {state.status === "error" && state.field === name && (
        <p role="alert" className="text-xs font-medium text-destructive">
          {state.message}
        </p>
      )}
    </fieldset>
  );
  return (
    <form action={formAction} className="space-y-4" aria-label="Choose how idle and system cost are allocated">
      <div className="grid gap-4 md:grid-cols-2">
        {group("idle", "Idle capacity", "What the nodes could give and no namespace requested that day.")}
        {group("system", "System namespaces", "kube-system and AKS's own namespaces, which keep the cluster running for everyone.")}
      </div>
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : "Save the rule"}
      </Button>
      {state.status !== "idle" && !(state.status === "error" && state.field) && (
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
