// An admin creates a playlist for everyone or for any team; a team member
// only for a team of theirs (as boards). Audited in the same transaction.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { createPlaylistInput } from "./playlist-input";
import { playlistInclude, toPlaylistView, type PlaylistView } from "./playlist-view";
import { playlistEntries } from "./playlist-boards";
import { claimDisplaySlug } from "./display-slug";

export async function createPlaylist({ actor, input }: { actor: Actor; input: unknown }): Promise<PlaylistView> {
  const prisma = getPrisma();
  const data = parseInput(createPlaylistInput, input);
  if (!can(actor, "board:manage", { teamId: data.teamId ?? undefined })) {
    await recordAuditEvent(prisma, { actor, action: "playlist.create", resourceType: "playlist", resourceId: data.slug, outcome: "denied" });
    throw forbidden("board:manage");
  }
  return prisma.$transaction(async (tx) => {
    if (data.teamId) {
      const team = await tx.team.findUnique({ where: { id: data.teamId }, select: { archivedAt: true } });
      if (!team || team.archivedAt)
        throw new AppError("invalid_input", "The owning team does not exist or is archived; pick an active team, or none for a playlist for everyone.", {
          path: ["teamId"],
        });
    }
    await claimDisplaySlug(tx, data.slug);
    const created = await tx.playlist.create({ data: { slug: data.slug, name: data.name, teamId: data.teamId, createdByName: actor.name } });
    await tx.playlistEntry.createMany({ data: await playlistEntries(tx, created.id, data.boards) });
    const view = toPlaylistView(await tx.playlist.findUniqueOrThrow({ where: { id: created.id }, include: playlistInclude }));
    await recordAuditEvent(tx, {
      actor,
      action: "playlist.create",
      resourceType: "playlist",
      resourceId: created.id,
      outcome: "success",
      after: { slug: view.slug, name: view.name, team: view.team?.slug ?? null, boards: view.boards.map(({ board, seconds }) => ({ board, seconds })) },
    });
    return view;
  });
}
