"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmSubmitButton } from "@/components/ui/confirm-submit-button";
import { Input, Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { TeamFormState } from "@/lib/actions/action-state";

type Action = (state: TeamFormState, form: FormData) => Promise<TeamFormState>;

interface TeamFormProps {
  action: Action;
  mode: "create" | "edit";
  initial?: { slug: string; name: string; entraGroupIds: string[]; costCenter: string | null };
}

function FieldError({ state, name }: { state: TeamFormState; name: string }) {
  if (state.status !== "error" || state.field !== name) return null;
  return (
    <p id={`${name}-error`} role="alert" className="text-sm font-medium text-destructive">
      {state.message}
    </p>
  );
}

export function TeamForm({ action, mode, initial }: TeamFormProps) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const id = (name: string) => `${mode}-${initial?.slug ?? "new"}-${name}`;
  const invalid = (name: string) => (state.status === "error" && state.field === name ? true : undefined);
  const typed = (name: string, fallback?: string) => state.values?.[name] ?? fallback;
  return (
    <form action={formAction} className="space-y-4" aria-label={mode === "create" ? "Create a team" : `Edit team ${initial?.name}`}>
      {mode === "create" ? (
        <div className="space-y-1">
          <Label htmlFor={id("slug")}>Slug</Label>
          <Input
            id={id("slug")}
            name="slug"
            required
            defaultValue={typed("slug")}
            placeholder="e.g. checkout"
            aria-invalid={invalid("slug")}
            aria-describedby={`slug-error ${id("slug")}-hint`}
          />
          <p id={`${id("slug")}-hint`} className="text-xs text-muted-foreground">
            Lowercase letters, digits and hyphens; namespaces of this team will start with it.
          </p>
          <FieldError state={state} name="slug" />
        </div>
      ) : (
        <input type="hidden" name="slug" value={initial?.slug} />
      )}
      <div className="space-y-1">
        <Label htmlFor={id("name")}>Name</Label>
        <Input
          id={id("name")}
          name="name"
          required
          defaultValue={typed("name", initial?.name)}
          placeholder="e.g. Checkout"
          aria-invalid={invalid("name")}
          aria-describedby="name-error"
        />
        <FieldError state={state} name="name" />
      </div>
      <div className="space-y-1">
        <Label htmlFor={id("groups")}>Entra group object IDs</Label>
        <Textarea
          id={id("groups")}
          name="entraGroupIds"
          rows={3}
          required
          defaultValue={typed("entraGroupIds", initial?.entraGroupIds.join("\n"))}
          placeholder="One object ID per line, e.g. 3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f04"
          aria-invalid={invalid("entraGroupIds")}
          aria-describedby="entraGroupIds-error"
        />
        <FieldError state={state} name="entraGroupIds" />
      </div>
      <div className="space-y-1">
        <Label htmlFor={id("cost")}>Cost center (optional)</Label>
        <Input
          id={id("cost")}
          name="costCenter"
          defaultValue={typed("costCenter", initial?.costCenter ?? "")}
          placeholder="e.g. CC-1042"
          aria-invalid={invalid("costCenter")}
          aria-describedby="costCenter-error"
        />
        <FieldError state={state} name="costCenter" />
      </div>
      {state.status === "error" && state.field === undefined && (
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
        {pending ? "Saving…" : mode === "create" ? "Create team" : "Save changes"}
      </Button>
    </form>
  );
}

export function ArchiveTeamButton({ action, slug, name }: { action: Action; slug: string; name: string }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction}>
      <input type="hidden" name="slug" value={slug} />
      <ConfirmSubmitButton
        title={`Archive team ${name}?`}
        description="Its members will no longer act for it. History is kept."
        confirmLabel="Archive"
        size="sm"
        disabled={pending}
      >
        Archive {name}
      </ConfirmSubmitButton>
      {state.status === "error" && (
        <p role="alert" className="mt-1 text-sm text-destructive">
          {state.message}
        </p>
      )}
    </form>
  );
}
