// Playlists for /boards: everyone signed in sees them; `canManage` as for boards.
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { toDisplayView, type DisplayView } from "./board-view";
import { playlistInclude, toPlaylistView, type PlaylistView } from "./playlist-view";

export type PlaylistSummary = PlaylistView & { canManage: boolean; screens: number };

export async function listPlaylists({ actor }: { actor: Actor }): Promise<PlaylistSummary[]> {
  if (!can(actor, "board:read")) throw forbidden("board:read");
  const rows = await getPrisma().playlist.findMany({
    include: { ...playlistInclude, _count: { select: { displays: { where: { revokedAt: null, expiresAt: { gt: new Date() } } } } } },
    orderBy: { name: "asc" },
  });
  return rows.map((row) => ({
    ...toPlaylistView(row),
    canManage: can(actor, "board:manage", { teamId: row.teamId ?? undefined }),
    screens: row._count.displays,
  }));
}

export interface PlaylistDetail {
  playlist: PlaylistView;
  canManage: boolean;
  /** Empty unless the actor manages the playlist. */
  displays: DisplayView[];
}

export async function getPlaylist({ actor, slug, now = new Date() }: { actor: Actor; slug: string; now?: Date }): Promise<PlaylistDetail> {
  if (!can(actor, "board:read")) throw forbidden("board:read");
  const row = await getPrisma().playlist.findUnique({
    where: { slug },
    include: { ...playlistInclude, displays: { orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }] } },
  });
  if (!row) throw new AppError("not_found", `There is no playlist "${slug}".`);
  const canManage = can(actor, "board:manage", { teamId: row.teamId ?? undefined });
  return { playlist: toPlaylistView(row), canManage, displays: canManage ? row.displays.map((display) => toDisplayView(display, now)) : [] };
}
