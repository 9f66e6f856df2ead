"use server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { serverAction } from "@/lib/actions/server-action";
import type { BoardFormState, DisplayTokenState, SaveBoardOutcome } from "@/lib/actions/action-state";
import { createBoard } from "@/lib/boards/create-board";
import { updateBoard } from "@/lib/boards/update-board";
import { deleteBoard } from "@/lib/boards/delete-board";
import { createDisplay } from "@/lib/boards/create-display";
import { revokeDisplay } from "@/lib/boards/revoke-display";
import { pairDisplay } from "@/lib/boards/pair-display";

const field = (form: FormData, name: string) => String(form.get(name) ?? "");

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
    await deleteBoard({ actor, slug: field(form, "slug") });
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
      input: { label: field(form, "label"), expiresInDays: Number(field(form, "expiresInDays") || 90) },
    });
    revalidatePath(`/boards/${slug}`);
    return {
      status: "done",
      message: `Screen “${display.label}” can show this board until ${display.expiresAt.slice(0, 10)}.`,
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
    const display = await revokeDisplay({ actor, slug, displayId: field(form, "displayId") });
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
      code: field(form, "code"),
      input: { label: field(form, "label"), expiresInDays: Number(field(form, "expiresInDays") || 90) },
    });
    revalidatePath(`/boards/${slug}`);
    return { status: "done", message: `Paired: screen “${display.label}” opens this board within seconds.` };
  },
  (error, _previous, form): DisplayTokenState => ({
    status: "error",
    message: error.message,
    field: error.path?.[0]?.toString(),
    values: { label: field(form, "label") },
  }),
);
