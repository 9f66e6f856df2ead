"use client";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmSubmitButton } from "@/components/ui/confirm-submit-button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { BoardFormState, DisplayTokenState } from "@/lib/actions/action-state";

type Action<S> = (state: S, form: FormData) => Promise<S>;

function Problem({ state, name }: { state: { status: string; field?: string; message?: string }; name?: string }) {
  if (state.status !== "error" || (name !== undefined ? state.field !== name : false)) return null;
  return (
    <p role="alert" className="text-sm font-medium text-destructive">
      {state.message}
    </p>
  );
}

export function CreateBoardForm({
  action,
  teams,
  forEveryone,
}: {
  action: Action<BoardFormState>;
  teams: { id: string; name: string }[];
  forEveryone: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const typed = state.status === "error" ? state.values : undefined;
  const known = ["slug", "name", "teamId"];
  return (
    <form action={formAction} className="space-y-4" aria-label="Create a board">
      <div className="space-y-1">
        <Label htmlFor="board-name">Name</Label>
        <Input id="board-name" name="name" required defaultValue={typed?.name} placeholder="e.g. Payments team room" />
        <Problem state={state} name="name" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="board-slug">Slug (its address: /display/…)</Label>
        <Input id="board-slug" name="slug" required defaultValue={typed?.slug} placeholder="payments-room" />
        <Problem state={state} name="slug" />
      </div>
      <div className="space-y-1">
        <Label htmlFor="board-team">Owned by</Label>
        <select
          id="board-team"
          name="teamId"
          defaultValue={typed?.teamId ?? (forEveryone ? "" : teams[0]?.id)}
          className="h-9 w-full rounded-md border border-border bg-card px-2 text-sm"
        >
          {forEveryone && <option value="">Everyone (platform admins manage it)</option>}
          {teams.map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
        <Problem state={state} name="teamId" />
      </div>
      {state.status === "error" && !known.includes(state.field ?? "") && <Problem state={state} />}
      <Button type="submit" disabled={pending}>
        {pending ? "Creating…" : "Create board"}
      </Button>
    </form>
  );
}

/** Whose screens a form is about: a board's (the default) or a playlist's. */
type Target = "board" | "playlist";

export function CreateDisplayForm({ action, slug, target = "board" }: { action: Action<DisplayTokenState>; slug: string; target?: Target }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  const url = state.status === "done" && state.url ? new URL(state.url, window.location.origin).toString() : null;
  return (
    <div className="space-y-3">
      <form action={formAction} className="flex flex-wrap items-end gap-3" aria-label="Add a screen">
        <input type="hidden" name="slug" value={slug} />
        <input type="hidden" name="target" value={target} />
        <div className="space-y-1">
          <Label htmlFor="display-label">Screen label</Label>
          <Input
            id="display-label"
            name="label"
            required
            placeholder="e.g. Team room, 3rd floor"
            defaultValue={state.status === "error" ? state.values?.label : undefined}
          />
        </div>
        <div className="space-y-1">
          <Label htmlFor="display-days">Valid for (days)</Label>
          <Input id="display-days" name="expiresInDays" type="number" min={1} max={400} defaultValue={90} className="w-28" />
        </div>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create display token"}
        </Button>
      </form>
      <Problem state={state} />
      {url && (
        <div role="status" className="space-y-1 rounded-md border border-warning/60 bg-warning-muted p-3 text-sm text-warning-muted-foreground">
          <p className="font-semibold">{state.message} Open this address on the screen. It is shown only now: copy it before you leave the page.</p>
          <code className="block break-all" data-testid="display-url">
            {url}
          </code>
        </div>
      )}
    </div>
  );
}

export function RevokeDisplayButton({
  action,
  slug,
  displayId,
  label,
  target = "board",
}: {
  action: Action<BoardFormState>;
  slug: string;
  displayId: string;
  label: string;
  target?: Target;
}) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction}>
      <input type="hidden" name="slug" value={slug} />
      <input type="hidden" name="target" value={target} />
      <input type="hidden" name="displayId" value={displayId} />
      <ConfirmSubmitButton
        title={`Revoke screen “${label}”?`}
        description={`It stops showing the ${target} within seconds and says it was revoked; pair it again to bring it back.`}
        confirmLabel="Revoke"
        variant="outline"
        size="sm"
        disabled={pending}
        aria-label={`Revoke screen ${label}`}
      >
        {pending ? "Revoking…" : "Revoke"}
      </ConfirmSubmitButton>
      <Problem state={state} />
    </form>
  );
}

export function DeleteBoardButton({ action, slug, name, target = "board" }: { action: Action<BoardFormState>; slug: string; name: string; target?: Target }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <form action={formAction}>
      <input type="hidden" name="slug" value={slug} />
      <ConfirmSubmitButton
        title={`Delete ${target} “${name}”?`}
        description={`Its screens stop showing it and their tokens stop working. This cannot be undone.`}
        confirmLabel={`Delete ${target}`}
        variant="outline"
        size="sm"
        disabled={pending}
      >
        {pending ? "Deleting…" : `Delete ${target}`}
      </ConfirmSubmitButton>
      <Problem state={state} />
    </form>
  );
}

export function PairDisplayForm({ action, slug, target = "board" }: { action: Action<DisplayTokenState>; slug: string; target?: Target }) {
  const [state, formAction, pending] = useActionState(action, { status: "idle" });
  return (
    <div className="space-y-2">
      <form action={formAction} className="flex flex-wrap items-end gap-3" aria-label="Pair a screen">
        <input type="hidden" name="slug" value={slug} />
        <input type="hidden" name="target" value={target} />
        <div className="space-y-1">
          <Label htmlFor="pair-code">Code on the screen</Label>
          <Input id="pair-code" name="code" required placeholder="K7Q-M4X" className="w-32 font-mono uppercase" autoComplete="off" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="pair-label">Screen label</Label>
          <Input
            id="pair-label"
            name="label"
            required
            placeholder="e.g. Team room TV"
            defaultValue={state.status === "error" ? state.values?.label : undefined}
          />
        </div>
        <input type="hidden" name="expiresInDays" value={90} />
        <Button type="submit" variant="outline" disabled={pending}>
          {pending ? "Pairing…" : "Pair screen"}
        </Button>
      </form>
      <Problem state={state} />
      {state.status === "done" && (
        <p role="status" className="text-sm font-medium text-success">
          {state.message}
        </p>
      )}
    </div>
  );
}
