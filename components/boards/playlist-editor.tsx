"use client";
// A playlist's boards in order, each with its seconds (10 to 3600): added
// from the boards there are, moved up and down, removed; saved through the
// playlist's use case, which validates again and audits (decision 0036).
// Creating one also asks for its slug, name and owning team.
import { useState, useTransition } from "react";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { SavePlaylistOutcome } from "@/lib/actions/action-state";
import { maxPlaylistSeconds, minPlaylistSeconds } from "@/lib/boards/playlist-input";

type Entry = { board: string; seconds: number };
type Create = (input: { slug: string; name: string; teamId: string | null; boards: Entry[] }) => Promise<SavePlaylistOutcome>;
type Save = (slug: string, input: { name: string; boards: Entry[] }) => Promise<SavePlaylistOutcome>;

const selectClass = "h-9 w-full rounded-md border border-border bg-card px-2 text-sm";

export function PlaylistEditor({
  boards,
  teams,
  forEveryone,
  initial,
  create,
  save,
}: {
  boards: { slug: string; name: string }[];
  /** Teams the playlist may belong to (creating only). */
  teams?: { id: string; name: string }[];
  forEveryone?: boolean;
  /** The playlist being edited; absent when creating. */
  initial?: { slug: string; name: string; boards: Entry[] };
  create?: Create;
  save?: Save;
}) {
  const router = useRouter();
  const [slug, setSlug] = useState(initial?.slug ?? "");
  const [name, setName] = useState(initial?.name ?? "");
  const [teamId, setTeamId] = useState(forEveryone ? "" : (teams?.[0]?.id ?? ""));
  const [entries, setEntries] = useState<Entry[]>(initial?.boards ?? []);
  const [adding, setAdding] = useState(boards[0]?.slug ?? "");
  const [result, setResult] = useState<{ ok: boolean; message: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const change = (index: number, entry: Partial<Entry>) => setEntries((current) => current.map((item, i) => (i === index ? { ...item, ...entry } : item)));
  const move = (index: number, by: number) =>
    setEntries((current) => {
      const next = [...current];
      const [item] = next.splice(index, 1);
      next.splice(index + by, 0, item!);
      return next;
    });
  const submit = () =>
    startTransition(async () => {
      const outcome = initial ? await save!(initial.slug, { name, boards: entries }) : await create!({ slug, name, teamId: teamId || null, boards: entries });
      if (!outcome.ok) return setResult({ ok: false, message: outcome.message });
      if (!initial) return router.push(`/boards/${outcome.slug}`);
      setResult({ ok: true, message: "Saved: its screens pick up the new rotation within seconds." });
    });
  const boardName = (board: string) => boards.find((entry) => entry.slug === board)?.name ?? board;

  return (
    <form
      className="space-y-3"
      aria-label={initial ? "Edit playlist" : "Create a playlist"}
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      {!initial && (
        <div className="space-y-1">
          <Label htmlFor="playlist-slug">Slug (its address: /display/&lt;slug&gt;)</Label>
          <Input id="playlist-slug" value={slug} required onChange={(event) => setSlug(event.target.value)} placeholder="lobby" />
        </div>
      )}
      <div className="space-y-1">
        <Label htmlFor="playlist-name">Name</Label>
        <Input id="playlist-name" value={name} required onChange={(event) => setName(event.target.value)} placeholder="Lobby rotation" />
      </div>
      {!initial && teams && (
        <div className="space-y-1">
          <Label htmlFor="playlist-team">Owning team</Label>
          <select id="playlist-team" className={selectClass} value={teamId} onChange={(event) => setTeamId(event.target.value)}>
            {forEveryone && <option value="">Everyone (admins manage it)</option>}
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <ol className="space-y-2" aria-label="Boards in order">
        {entries.length === 0 && <li className="text-sm text-muted-foreground">No board yet: pick one below and add it.</li>}
        {entries.map((entry, index) => (
          <li key={index} className="flex flex-wrap items-center gap-2 text-sm" aria-label={`Board ${index + 1}: ${boardName(entry.board)}`}>
            <span className="w-6 text-right text-muted-foreground">{index + 1}.</span>
            <span className="min-w-40 flex-1 font-medium">{boardName(entry.board)}</span>
            <Label htmlFor={`playlist-seconds-${index}`} className="sr-only">
              Seconds for {boardName(entry.board)}
            </Label>
            <Input
              id={`playlist-seconds-${index}`}
              type="number"
              min={minPlaylistSeconds}
              max={maxPlaylistSeconds}
              value={entry.seconds}
              onChange={(event) => change(index, { seconds: Number(event.target.value) })}
              className="w-24"
            />
            <span className="text-muted-foreground">s</span>
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={index === 0}
              onClick={() => move(index, -1)}
              aria-label={`Move ${boardName(entry.board)} up`}
            >
              ↑
            </Button>
            <Button
              type="button"
              variant="outline"
              size="sm"
              disabled={index === entries.length - 1}
              onClick={() => move(index, 1)}
              aria-label={`Move ${boardName(entry.board)} down`}
            >
              ↓
            </Button>
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() => setEntries((current) => current.filter((_, i) => i !== index))}
              aria-label={`Remove ${boardName(entry.board)}`}
            >
              Remove
            </Button>
          </li>
        ))}
      </ol>
      {boards.length > 0 ? (
        <div className="flex flex-wrap items-end gap-2">
          <div className="min-w-48 flex-1 space-y-1">
            <Label htmlFor="playlist-add">Board to add</Label>
            <select id="playlist-add" className={selectClass} value={adding} onChange={(event) => setAdding(event.target.value)}>
              {boards.map((board) => (
                <option key={board.slug} value={board.slug}>
                  {board.name}
                </option>
              ))}
            </select>
          </div>
          <Button type="button" variant="outline" onClick={() => adding && setEntries((current) => [...current, { board: adding, seconds: 60 }])}>
            Add board
          </Button>
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">Create a board first: a playlist shows boards.</p>
      )}
      <Button type="submit" disabled={pending}>
        {pending ? "Saving…" : initial ? "Save playlist" : "Create playlist"}
      </Button>
      {result && (
        <p role={result.ok ? "status" : "alert"} className={`text-sm ${result.ok ? "text-success" : "text-destructive"}`}>
          {result.message}
        </p>
      )}
    </form>
  );
}
