// One board with its screens (for those who manage it) for its page.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { boardInclude, toBoardView, toDisplayView, type BoardView, type DisplayView } from "./board-view";

export interface BoardDetail {
  board: BoardView;
  canManage: boolean;
  /** Empty unless the actor manages the board. */
  displays: DisplayView[];
}

export async function getBoard({ actor, slug, now = new Date() }: { actor: Actor; slug: string; now?: Date }): Promise<BoardDetail> {
  if (!can(actor, "board:read")) throw forbidden("board:read");
  const row = await getPrisma().board.findUnique({
    where: { slug },
    include: { ...boardInclude, displays: { orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] } },
  });
  if (!row) throw new AppError("not_found", `There is no board "${slug}".`);
  const canManage = can(actor, "board:manage", { teamId: row.teamId ?? undefined });
  return { board: toBoardView(row), canManage, displays: canManage ? row.displays.map((display) => toDisplayView(display, now)) : [] };
}
