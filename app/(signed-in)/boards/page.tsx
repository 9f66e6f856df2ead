import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardTitle } from "@/components/ui/card";
import { ScrollCard } from "@/components/ui/scroll-card";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { CreateBoardForm } from "@/components/boards/board-forms";
import { requirePermission } from "@/lib/auth/current-actor";
import { teamsActorActsFor } from "@/lib/auth/permissions";
import { listBoards } from "@/lib/boards/list-boards";
import { boardEditorOptions } from "@/lib/boards/board-editor-options";
import { listPlaylists } from "@/lib/boards/list-playlists";
import { PlaylistEditor } from "@/components/boards/playlist-editor";
import { createBoardAction, createPlaylistAction } from "./actions";

export const metadata: Metadata = { title: "Wall boards" };

export default async function BoardsPage() {
  const actor = await requirePermission("board:read");
  const [boards, playlists, options] = await Promise.all([listBoards({ actor }), listPlaylists({ actor }), boardEditorOptions({ actor })]);
  const acts = teamsActorActsFor(actor);
  const teams = acts === "all" ? options.teams : options.teams.filter((team) => acts.includes(team.id));
  return (
    <div className="space-y-6">
      <h1 className="text-3xl font-bold">Wall boards</h1>
      <p className="max-w-3xl text-sm text-muted-foreground">
        Boards run full screen on a team room&apos;s TV at <code>/display/&lt;board&gt;</code>, live, for weeks, with a display token that shows that board and
        nothing else. Platform admins manage every board; team members manage their team&apos;s.
      </p>
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        {teams.length > 0 || acts === "all" ? (
          <Card className="self-start">
            <CardTitle>Create a board</CardTitle>
            <CreateBoardForm action={createBoardAction} teams={teams.map((team) => ({ id: team.id, name: team.name }))} forEveryone={acts === "all"} />
          </Card>
        ) : (
          <Card className="self-start text-sm text-muted-foreground">Join a team to create boards for it.</Card>
        )}
        <ScrollCard label="Boards">
          <DataTable caption="Boards" columns={["Board", "Owner", "Tiles", "Screens", ""]}>
            {boards.length === 0 && (
              <Row>
                <Cell colSpan={5} className="text-muted-foreground">
                  No board yet.
                </Cell>
              </Row>
            )}
            {boards.map((board) => (
              <Row key={board.id} aria-label={`Board ${board.name}`}>
                <Cell className="font-medium">
                  <Link href={`/boards/${board.slug}`} className="underline-offset-2 hover:underline">
                    {board.name}
                  </Link>
                  <div className="text-xs text-muted-foreground">/display/{board.slug}</div>
                </Cell>
                <Cell>{board.team ? `${board.team.name}${board.team.archived ? " (archived)" : ""}` : "Everyone"}</Cell>
                <Cell>{board.tiles.length}</Cell>
                <Cell>{board.screens}</Cell>
                <Cell className="text-xs text-muted-foreground">{board.canManage ? "You manage it" : ""}</Cell>
              </Row>
            ))}
          </DataTable>
        </ScrollCard>
      </div>
      <h2 className="text-2xl font-bold">Playlists</h2>
      <p className="max-w-3xl text-sm text-muted-foreground">
        A playlist shows boards in turn on one screen, each for its seconds, switching without a reload; it is paired and revoked like a board.
      </p>
      <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
        {teams.length > 0 || acts === "all" ? (
          <Card className="self-start">
            <CardTitle>Create a playlist</CardTitle>
            <PlaylistEditor
              boards={boards.map((board) => ({ slug: board.slug, name: board.name }))}
              teams={teams.map((team) => ({ id: team.id, name: team.name }))}
              forEveryone={acts === "all"}
              create={createPlaylistAction}
            />
          </Card>
        ) : (
          <Card className="self-start text-sm text-muted-foreground">Join a team to create playlists for it.</Card>
        )}
        <ScrollCard label="Playlists">
          <DataTable caption="Playlists" columns={["Playlist", "Owner", "Boards", "Screens", ""]}>
            {playlists.length === 0 && (
              <Row>
                <Cell colSpan={5} className="text-muted-foreground">
                  No playlist yet.
                </Cell>
              </Row>
            )}
            {playlists.map((playlist) => (
              <Row key={playlist.id} aria-label={`Playlist ${playlist.name}`}>
                <Cell className="font-medium">
                  <Link href={`/boards/${playlist.slug}`} className="underline-offset-2 hover:underline">
                    {playlist.name}
                  </Link>
                  <div className="text-xs text-muted-foreground">/display/{playlist.slug}</div>
                </Cell>
                <Cell>{playlist.team ? `${playlist.team.name}${playlist.team.archived ? " (archived)" : ""}` : "Everyone"}</Cell>
                <Cell>{playlist.boards.map((entry) => `${entry.name} (${entry.seconds} s)`).join(", ")}</Cell>
                <Cell>{playlist.screens}</Cell>
                <Cell className="text-xs text-muted-foreground">{playlist.canManage ? "You manage it" : ""}</Cell>
              </Row>
            ))}
          </DataTable>
        </ScrollCard>
      </div>
    </div>
  );
}
