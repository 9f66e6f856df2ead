// Deletes a playlist and its screens' tokens (the screens say so within
// seconds); its boards stay. The audit event keeps what the playlist was.
import { getPrisma } from "@/lib/db/client";
import type { Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { playlistInclude, toPlaylistView } from "./playlist-view";
import { lockManageablePlaylist } from "./manageable-board";

export async function deletePlaylist({ actor, slug }: { actor: Actor; slug: string }): Promise<void> {
  await getPrisma().$transaction(async (tx) => {
    const { id } = await lockManageablePlaylist(tx, actor, slug, "playlist.delete");
    const row = await tx.playlist.findUniqueOrThrow({ where: { id }, include: { ...playlistInclude, _count: { select: { displays: true } } } });
    await tx.playlist.delete({ where: { id } });
    const view = toPlaylistView(row);
    await recordAuditEvent(tx, {
      actor,
      action: "playlist.delete",
      resourceType: "playlist",
      resourceId: id,
      outcome: "success",
      before: { slug: view.slug, name: view.name, team: view.team?.slug ?? null, boards: view.boards.length, screens: row._count.displays },
    });
    await noticeInTransaction(tx, { kind: "playlist", id });
  });
}
