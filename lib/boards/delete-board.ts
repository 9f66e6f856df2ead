// Deletes a board and its screens' tokens (the screens say so on their next
// request). The audit event keeps what the board was.
import { getPrisma } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { boardInclude, toBoardView } from "./board-view";
import { lockManageableBoard } from "./manageable-board";

export async function deleteBoard({ actor, slug }: { actor: Actor; slug: string }): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const { id } = await lockManageableBoard(tx, actor, slug, "board.delete");
    const board = await tx.board.findUniqueOrThrow({ where: { id }, include: { ...boardInclude, _count: { select: { displays: true } } } });
    // Playlists showing it lose it (cascade); their screens are told, as this board's are.
    const playlists = await tx.playlistEntry.findMany({ where: { boardId: id }, distinct: ["playlistId"], select: { playlistId: true } });
    await tx.board.delete({ where: { id } });
    const view = toBoardView(board);
    await recordAuditEvent(tx, {
      actor,
      action: "board.delete",
      resourceType: "board",
      resourceId: id,
      outcome: "success",
      before: { slug: view.slug, name: view.name, team: view.team?.slug ?? null, tiles: view.tiles, screens: board._count.displays },
    });
    await noticeInTransaction(tx, { kind: "board", id });
    for (const { playlistId } of playlists) await noticeInTransaction(tx, { kind: "playlist", id: playlistId });
  });
}
