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
import { tilesSchema } from "./tiles";

export async function updateBoard({ actor, slug, input }: { actor: Actor; slug: string; input: unknown }): Promise<BoardView> {
  const data = parseInput(updateBoardInput, input);
  // KQL queries are checked before the transaction (the parser may take seconds), against the board's team after the save: a
  // board given to a team has its queries checked as a team's (decision 0067). Read unlocked; the health cycle checks again
  // with the team the board has when it runs, so a board changing hands meanwhile cannot run a query unscoped.
  const current = await getPrisma().board.findUnique({ where: { slug }, select: { teamId: true, tiles: true } });
  const teamAfter = data.teamId !== undefined ? data.teamId : (current?.teamId ?? null);
  const currentTiles = tilesSchema.safeParse(current?.tiles ?? []);
  const tilesAfter = data.tiles ?? (teamAfter !== null && teamAfter !== current?.teamId && currentTiles.success ? currentTiles.data : null);
  if (tilesAfter) await checkKqlTiles(tilesAfter, { team: teamAfter !== null });
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
    if (data.tiles) await checkTileReferences(tx, actor, data.tiles, before.tiles, data.teamId !== undefined ? data.teamId : (before.team?.id ?? null));
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
