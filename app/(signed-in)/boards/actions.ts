"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { serverAction } from "@/lib/actions/server-action";
import type { BoardFormState, DisplayTokenState, SaveBoardOutcome, SavePlaylistOutcome } from "@/lib/actions/action-state";
import { createBoard } from "@/lib/boards/create-board";
import { updateBoard } from "@/lib/boards/update-board";
import { deleteBoard } from "@/lib/boards/delete-board";
import { createDisplay } from "@/lib/boards/create-display";
import { revokeDisplay } from "@/lib/boards/revoke-display";
import { pairDisplay } from "@/lib/boards/pair-display";
import { createPlaylist } from "@/lib/boards/create-playlist";
import { updatePlaylist } from "@/lib/boards/update-playlist";
import { deletePlaylist } from "@/lib/boards/delete-playlist";

const field = (form: FormData, name: string) => String(form.get(name) ?? "");
/** Whose screens a form is about: a playlist's, or a board's by default. */
const target = (form: FormData) => (field(form, "target") === "playlist" ? "playlist" : "board");

const boardInput = (form: FormData) => ({ slug: field(form, "slug"), name: field(form, "name"), teamId: field(form, "teamId") });

export const createBoardAction = serverAction(
  async (actor, _previous: BoardFormState, form: FormData): Promise<BoardFormState> => {
    const typed = boardInput(form);
    const board = await createBoard({ actor, input: { ...typed, teamId: typed.teamId || null } });
    revalidatePath("/boards");
    redirect(`/boards/${board.slug}`);
  },
  (error, _previous, form): BoardFormState => ({ status: "error", message: error.message, field: error.path?.[0]?.toString(), values: boardInput(form) }),
);

export const saveBoardAction = serverAction(
  async (actor, slug: string, input: { name: string; tiles: unknown }): Promise<SaveBoardOutcome> => {
    const board = await updateBoard({ actor, slug, input });
    revalidatePath(`/boards/${slug}`);
    return { ok: true, updatedAt: board.updatedAt };
  },
  (error): SaveBoardOutcome => ({ ok: false, message: error.message }),
);

export const deleteBoardAction = serverAction(
  async (actor, _previous: BoardFormState, form: FormData): Promise<BoardFormState> => {
    if (target(form) === "playlist") await deletePlaylist({ actor, slug: field(form, "slug") });
    else await deleteBoard({ actor, slug: field(form, "slug") });
    revalidatePath("/boards");
    redirect("/boards");
  },
  (error): BoardFormState => ({ status: "error", message: error.message }),
);

export const createDisplayAction = serverAction(
  async (actor, _previous: DisplayTokenState, form: FormData): Promise<DisplayTokenState> => {
    const slug = field(form, "slug");
    const { display, url } = await createDisplay({
      actor,
      slug,
      target: target(form),
      input: { label: field(form, "label"), expiresInDays: Number(field(form, "expiresInDays") || 90) },
    });
    revalidatePath(`/boards/${slug}`);
    return {
      status: "done",
      message: `Screen “${display.label}” can show this ${target(form)} until ${display.expiresAt.slice(0, 10)}.`,
      url,
      expiresAt: display.expiresAt,
    };
  },
  (error, _previous, form): DisplayTokenState => ({
    status: "error",
    message: error.message,
    field: error.path?.[0]?.toString(),
    values: { label: field(form, "label") },
  }),
);

export const revokeDisplayAction = serverAction(
  async (actor, _previous: BoardFormState, form: FormData): Promise<BoardFormState> => {
    const slug = field(form, "slug");
    const display = await revokeDisplay({ actor, slug, displayId: field(form, "displayId"), target: target(form) });
    revalidatePath(`/boards/${slug}`);
    return { status: "done", message: `Screen “${display.label}” revoked: it says so within seconds.` };
  },
  (error): BoardFormState => ({ status: "error", message: error.message }),
);

export const pairDisplayAction = serverAction(
  async (actor, _previous: DisplayTokenState, form: FormData): Promise<DisplayTokenState> => {
    const slug = field(form, "slug");
    const display = await pairDisplay({
      actor,
      slug,
      target: target(form),
      code: field(form, "code"),
      input: { label: field(form, "label"), expiresInDays: Number(field(form, "expiresInDays") || 90) },
    });
    revalidatePath(`/boards/${slug}`);
    return { status: "done", message: `Paired: screen “${display.label}” opens this ${target(form)} within seconds.` };
  },
  (error, _previous, form): DisplayTokenState => ({
    status: "error",
    message: error.message,
    field: error.path?.[0]?.toString(),
    values: { label: field(form, "label") },
  }),
);

export const createPlaylistAction = serverAction(
  async (actor, input: { slug: string; name: string; teamId: string | null; boards: unknown }): Promise<SavePlaylistOutcome> => {
    const playlist = await createPlaylist({ actor, input });
    revalidatePath("/boards");
    return { ok: true, slug: playlist.slug };
  },
  (error): SavePlaylistOutcome => ({ ok: false, message: error.message }),
);

export const savePlaylistAction = serverAction(
  async (actor, slug: string, input: { name: string; boards: unknown }): Promise<SavePlaylistOutcome> => {
    const playlist = await updatePlaylist({ actor, slug, input });
    revalidatePath(`/boards/${slug}`);
    return { ok: true, slug: playlist.slug };
  },
  (error): SavePlaylistOutcome => ({ ok: false, message: error.message }),
);
