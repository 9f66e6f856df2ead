import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardTitle } from "@/components/ui/card";
import { BoardEditor } from "@/components/boards/board-editor";
import { DeleteBoardButton } from "@/components/boards/board-forms";
import { ScreensCard } from "@/components/boards/screens-card";
import { PlaylistDetailPage } from "./playlist-detail";
import { requirePermission } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { getBoard } from "@/lib/boards/get-board";
import { boardEditorOptions } from "@/lib/boards/board-editor-options";
import { tileKindLabels } from "@/lib/boards/tiles";
import { createDisplayAction, deleteBoardAction, pairDisplayAction, revokeDisplayAction, saveBoardAction } from "../actions";

export const metadata: Metadata = { title: "Wall board" };

export default async function BoardPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePermission("board:read");
  const detail = await getBoard({ actor, slug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  });
  // Boards and playlists share slugs (decision 0036): a slug no board has may be a playlist's.
  if (!detail) return <PlaylistDetailPage actor={actor} slug={slug} />;
  const { board, canManage, displays } = detail;
  const options = canManage ? await boardEditorOptions({ actor }) : null;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <div>
          <p className="text-sm text-muted-foreground">
            <Link href="/boards" className="hover:underline">
              Wall boards
            </Link>{" "}
            / {board.team ? board.team.name : "Everyone"}
          </p>
          <h1 className="text-3xl font-bold">{board.name}</h1>
          <p className="text-sm text-muted-foreground">
            Shown at <code>/display/{board.slug}</code> with a display token.
          </p>
        </div>
        {canManage && <DeleteBoardButton action={deleteBoardAction} slug={board.slug} name={board.name} />}
      </div>
      {canManage && options ? (
        <Card>
          <CardTitle>Tiles</CardTitle>
          <BoardEditor slug={board.slug} name={board.name} tiles={board.tiles} options={options} save={saveBoardAction} />
        </Card>
      ) : (
        <Card>
          <CardTitle>Tiles</CardTitle>
          <ul className="list-inside list-disc text-sm">
            {board.tiles.map((tile) => (
              <li key={tile.id}>{tile.title ?? tileKindLabels[tile.kind]}</li>
            ))}
          </ul>
          <p className="mt-2 text-sm text-muted-foreground">Only the owning team&apos;s members and platform admins can change this board and its screens.</p>
        </Card>
      )}
      {canManage && (
        <ScreensCard
          slug={board.slug}
          target="board"
          displays={displays}
          actions={{ pair: pairDisplayAction, create: createDisplayAction, revoke: revokeDisplayAction }}
        />
      )}
    </div>
  );
}
