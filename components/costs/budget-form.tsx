"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ActionState } from "@/lib/actions/action-state";

export type BudgetFormValues = { team?: string; amount?: string; actualThresholds?: string; forecastThresholds?: string };

/**
 * Sets a team's monthly budget: the amount in the bill's currency and the percentages at which the team is told. The
 * server says what to change, beside the field it is about; the typed values come back after React resets the form.
 */
export function BudgetForm({
  action,
  teams,
  currency,
  team,
}: {
  action: (state: ActionState<BudgetFormValues>, form: FormData) => Promise<ActionState<BudgetFormValues>>;
  teams: { team: string; teamName: string; hasBudget: boolean }[];
  currency: string | null;
  /** The team chosen at first (a link from a team page); the first team when absent or not one of `teams`. */
  team?: string;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const values = state.values ?? {};
  const error = (field: string) => (state.status === "error" && state.field?.startsWith(field) ? state.message : undefined);
  const field = (name: keyof BudgetFormValues, label: string, hint: string, placeholder: string) => (
    <div className="space-y-1">
      <Label htmlFor={`budget-${name}`}>{label}</Label>
      <Input
        id={`budget-${name}`}
        name={name}
        defaultValue={values[name] ?? ""}
        placeholder={placeholder}
        inputMode={name === "amount" ? "decimal" : "text"}
        aria-invalid={error(name) ? true : undefined}
        aria-describedby={`budget-${name}-hint`}
      />
      <p id={`budget-${name}-hint`} className={error(name) ? "text-xs font-medium text-destructive" : "text-xs text-muted-foreground"}>
        {error(name) ?? hint}
      </p>
    </div>
  );
  return (
    <form id="set-budget" action={formAction} className="grid items-start gap-3 md:grid-cols-[repeat(4,1fr)_auto]" aria-label="Set a team's monthly budget">
      <div className="space-y-1">
        <Label htmlFor="budget-team">Team</Label>
        <select
          id="budget-team"
          name="team"
          defaultValue={values.team ?? teams.find((t) => t.team === team)?.team ?? teams[0]?.team}
          className={
            "h-10 w-full rounded-md border border-border bg-background px-2 text-sm focus-visible:outline-none " +
            "focus-visible:ring-2 focus-visible:ring-ring"
          }
        >
          {teams.map((team) => (
            <option key={team.team} value={team.team}>
              {team.teamName}
              {team.hasBudget ? " (replace its budget)" : ""}
            </option>
          ))}
        </select>
      </div>
      {field("amount", `Monthly budget${currency ? ` (${currency})` : ""}`, "More than 0, in the bill's currency.", "1500")}
      {field("actualThresholds", "Alert at % of actual", "Whole percentages, 1 to 1000; empty: 50, 80, 100.", "50, 80, 100")}
      {field(
        "forecastThresholds",
        "Alert at % of forecast",
        "The team's part of Cost Management's forecast (the run rate when none is stored); empty: 50, 80, 100.",
        "50, 80, 100",
      )}
      <div className="space-y-1 md:pt-6">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Set budget"}
        </Button>
      </div>
      {state.status !== "idle" && (
        <p
          role={state.status === "error" ? "alert" : "status"}
          className={state.status === "error" ? "text-sm font-medium text-destructive md:col-span-5" : "text-sm font-medium md:col-span-5"}
        >
          {state.message}
        </p>
      )}
    </form>
  );
}
