// The boards a playlist names must exist when it is saved; turned into the
// rows of its rotation. A board deleted later leaves the playlist (cascade).
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/db/generated/client";

export async function playlistEntries(
  tx: Prisma.TransactionClient,
  playlistId: string,
  boards: readonly { board: string; seconds: number }[],
): Promise<Prisma.PlaylistEntryCreateManyInput[]> {
  const found = await tx.board.findMany({ where: { slug: { in: [...new Set(boards.map((entry) => entry.board))] } }, select: { id: true, slug: true } });
  const ids = new Map(found.map((board) => [board.slug, board.id]));
  return boards.map((entry, position) => {
    const boardId = ids.get(entry.board);
    if (!boardId)
      throw new AppError("invalid_input", `Entry ${position + 1} names board "${entry.board}", which does not exist; pick a board from Boards.`, {
        path: ["boards", position, "board"],
      });
    return { playlistId, position, boardId, seconds: entry.seconds };
  });
}
