// Boards and playlists share one address space, /display/<slug> (decision
// 0036): a slug taken by either is refused for the other. The advisory lock
// keeps two creations of one slug from passing the check together.
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/db/generated/client";

export async function claimDisplaySlug(tx: Prisma.TransactionClient, slug: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`display-slug:${slug}`}))`;
  const [board, playlist] = await Promise.all([
    tx.board.findUnique({ where: { slug }, select: { id: true } }),
    tx.playlist.findUnique({ where: { slug }, select: { id: true } }),
  ]);
  if (board) throw new AppError("conflict", `A board with the slug "${slug}" already exists; pick another slug.`, { path: ["slug"] });
  if (playlist)
    throw new AppError("conflict", `A playlist with the slug "${slug}" already exists; boards and playlists share addresses, pick another slug.`, {
      path: ["slug"],
    });
}
