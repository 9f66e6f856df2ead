// A playlist's page (decision 0036): its boards in order with their seconds,
// edited by those who manage it, and its screens.
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CardTitle } from "@/components/ui/card";
import { DeleteBoardButton } from "@/components/boards/board-forms";
import { PlaylistEditor } from "@/components/boards/playlist-editor";
import { ScreensCard } from "@/components/boards/screens-card";
import type { UserActor } from "@/lib/auth/permissions";
import { isAppError } from "@/lib/errors";
import { getPlaylist } from "@/lib/boards/list-playlists";
import { listBoards } from "@/lib/boards/list-boards";
import { createDisplayAction, deleteBoardAction, pairDisplayAction, revokeDisplayAction, savePlaylistAction } from "../actions";

export async function PlaylistDetailPage({ actor, slug }: { actor: UserActor; slug: string }) {
  const detail = await getPlaylist({ actor, slug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const { playlist, canManage, displays } = detail;
  const boards = canManage ? (await listBoards({ actor })).map((board) => ({ slug: board.slug, name: board.name })) : [];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          <p className="text-sm text-muted-foreground">
            <Link href="/boards" className="hover:underline">
              Wall boards
            </Link>{" "}
            / Playlist / {playlist.team ? playlist.team.name : "Everyone"}
          </p>
          <h1 className="text-3xl font-bold">{playlist.name}</h1>
          <p className="text-sm text-muted-foreground">
            Shown at <code>/display/{playlist.slug}</code> with a display token: its boards in turn, without a reload.
          </p>
        </div>
        {canManage && <DeleteBoardButton action={deleteBoardAction} slug={playlist.slug} name={playlist.name} target="playlist" />}
      </div>
      <Card>
        <CardTitle>Boards in turn</CardTitle>
        {canManage ? (
          <PlaylistEditor
            boards={boards}
            initial={{ slug: playlist.slug, name: playlist.name, boards: playlist.boards.map(({ board, seconds }) => ({ board, seconds })) }}
            save={savePlaylistAction}
          />
        ) : (
          <>
            <ol className="list-inside list-decimal text-sm">
              {playlist.boards.map((entry, index) => (
                <li key={index}>
                  {entry.name} · {entry.seconds} s
                </li>
              ))}
            </ol>
            <p className="mt-2 text-sm text-muted-foreground">
              Only the owning team&apos;s members and platform admins can change this playlist and its screens.
            </p>
          </>
        )}
      </Card>
      {canManage && (
        <ScreensCard
          slug={playlist.slug}
          target="playlist"
          displays={displays}
          actions={{ pair: pairDisplayAction, create: createDisplayAction, revoke: revokeDisplayAction }}
        />
      )}
    </div>
  );
}
