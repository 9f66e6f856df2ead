// Renames a playlist, gives it to another team (or everyone) or sets its
// boards and their seconds. Its screens are told, and pick up the new
// rotation without a reload.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { noticeInTransaction } from "@/lib/changes/publish-change";
import { parseInput } from "@/lib/validation";
import { updatePlaylistInput } from "./playlist-input";
import { playlistInclude, toPlaylistView, type PlaylistView } from "./playlist-view";
import { playlistEntries } from "./playlist-boards";
import { lockManageablePlaylist } from "./manageable-board";

const audited = (view: PlaylistView) => ({
  name: view.name,
  team: view.team?.slug ?? null,
  boards: view.boards.map(({ board, seconds }) => ({ board, seconds })),
});

export async function updatePlaylist({ actor, slug, input }: { actor: Actor; slug: string; input: unknown }): Promise<PlaylistView> {
  const data = parseInput(updatePlaylistInput, input);
  return getPrisma().$transaction(async (tx) => {
    const { id, teamId } = await lockManageablePlaylist(tx, actor, slug, "playlist.update");
    const before = toPlaylistView(await tx.playlist.findUniqueOrThrow({ where: { id }, include: playlistInclude }));
    if (data.teamId !== undefined && data.teamId !== teamId) {
      if (!can(actor, "board:manage", { teamId: data.teamId ?? undefined })) throw forbidden("board:manage");
      if (data.teamId) {
        const team = await tx.team.findUnique({ where: { id: data.teamId }, select: { archivedAt: true } });
        if (!team || team.archivedAt)
          throw new AppError("invalid_input", "The owning team does not exist or is archived; pick an active team, or none for a playlist for everyone.", {
            path: ["teamId"],
          });
      }
    }
    if (data.boards) {
      const entries = await playlistEntries(tx, id, data.boards);
      await tx.playlistEntry.deleteMany({ where: { playlistId: id } });
      await tx.playlistEntry.createMany({ data: entries });
    }
    await tx.playlist.update({
      where: { id },
      data: { ...(data.name !== undefined && { name: data.name }), ...(data.teamId !== undefined && { teamId: data.teamId }), updatedAt: new Date() },
    });
    const view = toPlaylistView(await tx.playlist.findUniqueOrThrow({ where: { id }, include: playlistInclude }));
    await recordAuditEvent(tx, {
      actor,
      action: "playlist.update",
      resourceType: "playlist",
      resourceId: id,
      outcome: "success",
      before: audited(before),
      after: audited(view),
    });
    await noticeInTransaction(tx, { kind: "playlist", id });
    return view;
  });
}
