// An admin creates a board for everyone (no team) or for any team; a team
// member only for a team of theirs. Audited in the same transaction.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { createBoardInput } from "./board-input";
import { boardInclude, toBoardView, type BoardView } from "./board-view";
import { checkKqlTiles, checkTileReferences } from "./tile-references";
import { claimDisplaySlug } from "./display-slug";

export async function createBoard({ actor, input }: { actor: Actor; input: unknown }): Promise<BoardView> {
  const prisma = getPrisma();
  const data = parseInput(createBoardInput, input);
  if (!can(actor, "board:manage", { teamId: data.teamId ?? undefined })) {
    await recordAuditEvent(prisma, { actor, action: "board.create", resourceType: "board", resourceId: data.slug, outcome: "denied" });
    throw forbidden("board:manage");
  }
  await checkKqlTiles(data.tiles, { team: Boolean(data.teamId) });
  return prisma.$transaction(async (tx) => {
    if (data.teamId) {
      const team = await tx.team.findUnique({ where: { id: data.teamId }, select: { archivedAt: true } });
      if (!team || team.archivedAt)
        throw new AppError("invalid_input", "The owning team does not exist or is archived; pick an active team, or none for a board for everyone.", {
          path: ["teamId"],
        });
    }
    await claimDisplaySlug(tx, data.slug);
    await checkTileReferences(tx, actor, data.tiles, [], data.teamId ?? null);
    const board = await tx.board.create({
      data: { slug: data.slug, name: data.name, teamId: data.teamId, tiles: data.tiles, createdByName: actor.name },
      include: boardInclude,
    });
    const view = toBoardView(board);
    await recordAuditEvent(tx, {
      actor,
      action: "board.create",
      resourceType: "board",
      resourceId: board.id,
      outcome: "success",
      after: { slug: view.slug, name: view.name, team: view.team?.slug ?? null, tiles: view.tiles },
    });
    return view;
  });
}
