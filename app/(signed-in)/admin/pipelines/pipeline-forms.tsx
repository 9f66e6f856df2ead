"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmSubmitButton } from "@/components/ui/confirm-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { PipelineFormState } from "@/lib/actions/action-state";

type Action = (state: PipelineFormState, form: FormData) => Promise<PipelineFormState>;

function FieldError({ state, name }: { state: PipelineFormState; name: string }) {
  if (state.status !== "error" || state.field !== name) return null;
  return (
    <p id={`pipeline-${name}-error`} role="alert" className="text-sm font-medium text-destructive">
      {state.message}
    </p>
  );
}

export function AddPipelineForm({ action, teams }: { action: Action; teams: { id: string; name: string }[] }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const invalid = (name: string) => (state.status === "error" && state.field === name ? true : undefined);
  const typed = state.status === "error" ? state.values : undefined;
  return (
    <form action={formAction} className="space-y-4" aria-label="Add a pipeline identity">
      <div className="space-y-1">
        <Label htmlFor="pipeline-displayName">Name</Label>
        <Input
          id="pipeline-displayName"
          name="displayName"
          required
          defaultValue={typed?.displayName}
          placeholder="e.g. Payments main pipeline"
          aria-invalid={invalid("displayName")}
          aria-describedby="pipeline-displayName-error"
        />
        <FieldError state={state} name="displayName" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="pipeline-clientId">Application (client) ID</Label>
        <Input
          id="pipeline-clientId"
          name="clientId"
          required
          defaultValue={typed?.clientId}
          placeholder="from the app registration's Overview"
          aria-invalid={invalid("clientId")}
          aria-describedby="pipeline-clientId-error"
        />
        <FieldError state={state} name="clientId" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="pipeline-objectId">Service principal object ID (optional)</Label>
        <Input
          id="pipeline-objectId"
          name="objectId"
          defaultValue={typed?.objectId}
          placeholder="Enterprise applications → the app → Object ID"
          aria-invalid={invalid("objectId")}
          aria-describedby="pipeline-objectId-error pipeline-objectId-hint"
        />
        <p id="pipeline-objectId-hint" className="text-xs text-muted-foreground">
          When set, tokens must also carry this oid.
        </p>
        <FieldError state={state} name="objectId" />
      </div>
      <fieldset className="space-y-1" aria-describedby="pipeline-teamIds-error">
        <legend className="text-sm font-medium">Teams it deploys for</legend>
        {teams.map((team) => (
          <label key={team.id} className="flex items-center gap-2 text-sm">
            <input type="checkbox" name="teamIds" value={team.id} defaultChecked={typed?.teamIds?.includes(team.id)} />
            {team.name}
          </label>
        ))}
        <FieldError state={state} name="teamIds" />
      </fieldset>
      {state.status === "error" && !["displayName", "clientId", "objectId", "teamIds"].includes(state.field ?? "") && (
        <p role="alert" className="text-sm font-medium text-destructive">
          {state.message}
        </p>
      )}
      {state.status === "done" && (
        <p role="status" className="text-sm font-medium text-success">
          {state.message}
        </p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Adding…" : "Add pipeline identity"}
      </Button>
    </form>
  );
}

export function RevokePipelineButton({ action, id, name }: { action: Action; id: string; name: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction}>
      <input type="hidden" name="id" value={id} />
      <ConfirmSubmitButton
        title={`Revoke ${name}?`}
        description="Its tokens are refused from the next request on."
        confirmLabel="Revoke"
        variant="outline"
        size="sm"
        disabled={pending}
        aria-label={`Revoke ${name}`}
      >
        {pending ? "Revoking…" : "Revoke"}
      </ConfirmSubmitButton>
      {state.status === "error" && (
        <p role="alert" className="text-sm font-medium text-destructive">
          {state.message}
        </p>
      )}
    </form>
  );
}
