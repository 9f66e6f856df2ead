// The board a change is about, locked for the transaction, after the actor's
// right to manage it is checked (and a refusal audited).
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import type { Prisma } from "@/lib/db/generated/client";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";

export async function lockManageableBoard(tx: Prisma.TransactionClient, actor: Actor, slug: string, action: string) {
  const locked = await tx.$queryRaw<{ id: string; teamId: string | null }[]>`SELECT id, "teamId" FROM "Board" WHERE slug = ${slug} FOR UPDATE`;
  const row = locked[0];
  if (!row) throw new AppError("not_found", `There is no board "${slug}".`);
  if (!can(actor, "board:manage", { teamId: row.teamId ?? undefined })) {
    // Written outside the transaction, which the refusal rolls back.
    await recordAuditEvent(getPrisma(), { actor, action, resourceType: "board", resourceId: row.id, outcome: "denied" });
    throw forbidden("board:manage");
  }
  return row;
}

/** The playlist a change is about, locked, after the same check as a board's. */
export async function lockManageablePlaylist(tx: Prisma.TransactionClient, actor: Actor, slug: string, action: string) {
  const locked = await tx.$queryRaw<{ id: string; teamId: string | null }[]>`SELECT id, "teamId" FROM "Playlist" WHERE slug = ${slug} FOR UPDATE`;
  const row = locked[0];
  if (!row) throw new AppError("not_found", `There is no playlist "${slug}".`);
  if (!can(actor, "board:manage", { teamId: row.teamId ?? undefined })) {
    await recordAuditEvent(getPrisma(), { actor, action, resourceType: "playlist", resourceId: row.id, outcome: "denied" });
    throw forbidden("board:manage");
  }
  return row;
}

/** What a screen is for: a board (the default) or a playlist, by slug. */
export type DisplayTarget = "board" | "playlist";

/** The board or playlist whose screens a change is about, locked and checked; the Display columns that point at it. */
export async function lockDisplayTarget(tx: Prisma.TransactionClient, actor: Actor, target: DisplayTarget, slug: string, action: string) {
  if (target === "playlist") {
    const { id } = await lockManageablePlaylist(tx, actor, slug, action);
    return { boardId: null, playlistId: id };
  }
  const { id } = await lockManageableBoard(tx, actor, slug, action);
  return { boardId: id, playlistId: null };
}
