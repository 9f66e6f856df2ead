// Renames a board, gives it to another team (or to everyone) or saves its
// tiles. The actor must manage the board as it is and, when it changes
// hands, as it will be. Screens showing it are told to refetch.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { parseInput } from "@/lib/validation";
import { updateBoardInput } from "./board-input";
import { boardInclude, toBoardView, type BoardView } from "./board-view";
import { checkKqlTiles, checkTileReferences } from "./tile-references";
import { lockManageableBoard } from "./manageable-board";

export async function updateBoard({ actor, slug, input }: { actor: Actor; slug: string; input: unknown }): Promise<BoardView> {
  const data = parseInput(updateBoardInput, input);
  if (data.tiles) await checkKqlTiles(data.tiles);
  return getPrisma().$transaction(async (tx) => {
    const { id } = await lockManageableBoard(tx, actor, slug, "board.update");
    const before = toBoardView(await tx.board.findUniqueOrThrow({ where: { id }, include: boardInclude }));
    if (data.teamId !== undefined && data.teamId !== (before.team?.id ?? null)) {
      if (!can(actor, "board:manage", { teamId: data.teamId ?? undefined })) throw forbidden("board:manage");
      if (data.teamId) {
        const team = await tx.team.findUnique({ where: { id: data.teamId }, select: { archivedAt: true } });
        if (!team || team.archivedAt)
          throw new AppError("invalid_input", "The owning team does not exist or is archived; pick an active team, or none for a board for everyone.", {
            path: ["teamId"],
          });
      }
    }
    if (data.tiles) await checkTileReferences(tx, actor, data.tiles, before.tiles);
    const board = await tx.board.update({
      where: { id },
      data: {
        ...(data.name !== undefined && { name: data.name }),
        ...(data.teamId !== undefined && { teamId: data.teamId }),
        ...(data.tiles && { tiles: data.tiles }),
      },
      include: boardInclude,
    });
    const view = toBoardView(board);
    await recordAuditEvent(tx, {
      actor,
      action: "board.update",
      resourceType: "board",
      resourceId: id,
      outcome: "success",
      before: { name: before.name, team: before.team?.slug ?? null, tiles: before.tiles },
      after: { name: view.name, team: view.team?.slug ?? null, tiles: view.tiles },
    });
    await noticeInTransaction(tx, { kind: "board", id });
    return view;
  });
}
