// Boards for /boards: everyone signed in sees them all; `canManage` says
// which the actor may change (admins: all; members: their teams').
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { boardInclude, toBoardView, type BoardView } from "./board-view";

export type BoardSummary = BoardView & { canManage: boolean; screens: number };

export async function listBoards({ actor }: { actor: Actor }): Promise<BoardSummary[]> {
  if (!can(actor, "board:read")) throw forbidden("board:read");
  const rows = await getPrisma().board.findMany({
    include: { ...boardInclude, _count: { select: { displays: { where: { revokedAt: null, expiresAt: { gt: new Date() } } } } } },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => ({ ...toBoardView(row), canManage: can(actor, "board:manage", { teamId: row.teamId ?? undefined }), screens: row._count.displays }));
}
