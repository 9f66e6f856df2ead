import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { Card, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { Cell, DataTable, Row } from "@/components/ui/table";
import { BoardEditor } from "@/components/boards/board-editor";
import { CreateDisplayForm, DeleteBoardButton, PairDisplayForm, RevokeDisplayButton } from "@/components/boards/board-forms";
import { requirePermission } from "@/lib/auth/current-actor";
import { isAppError } from "@/lib/errors";
import { getBoard } from "@/lib/boards/get-board";
import { boardEditorOptions } from "@/lib/boards/board-editor-options";
import { tileKindLabels } from "@/lib/boards/tiles";
import { createDisplayAction, deleteBoardAction, pairDisplayAction, revokeDisplayAction, saveBoardAction } from "../actions";

export const metadata: Metadata = { title: "Wall board" };

const stateTone = { active: "success", expired: "warning", revoked: "warning" } as const;

export default async function BoardPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const actor = await requirePermission("board:read");
  const detail = await getBoard({ actor, slug }).catch((error: unknown) => {
    if (isAppError(error) && error.code === "not_found") notFound();
    throw error;
  });
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
        <Card className="space-y-4">
          <CardTitle>Screens</CardTitle>
          <p className="text-sm text-muted-foreground">
            Open <code>/display/pair</code> on the screen and type the code it shows, or create a display token and open its address on the screen.
          </p>
          <PairDisplayForm action={pairDisplayAction} slug={board.slug} />
          <CreateDisplayForm action={createDisplayAction} slug={board.slug} />
          <div className="overflow-x-auto">
            <DataTable caption="Screens" columns={["Screen", "State", "Last seen", "Browser", "Expires", ""]}>
              {displays.length === 0 && (
                <Row>
                  <Cell colSpan={6} className="text-muted-foreground">
                    No screen yet: create a display token and open its address on the screen.
                  </Cell>
                </Row>
              )}
              {displays.map((display) => (
                <Row key={display.id} aria-label={`Screen ${display.label}`}>
                  <Cell className="font-medium">
                    {display.label}
                    <div className="text-xs text-muted-foreground">
                      by {display.createdByName}, <RelativeTime iso={display.createdAt} />
                    </div>
                  </Cell>
                  <Cell>
                    <Badge tone={stateTone[display.state]}>{display.state}</Badge>
                    {display.revokedByName && <div className="text-xs text-muted-foreground">by {display.revokedByName}</div>}
                  </Cell>
                  <Cell className="text-xs">{display.lastSeenAt ? <RelativeTime iso={display.lastSeenAt} /> : "never"}</Cell>
                  <Cell className="max-w-64 truncate text-xs" title={display.userAgent ?? undefined}>
                    {display.userAgent ?? "—"}
                  </Cell>
                  <Cell className="text-xs">{display.expiresAt.slice(0, 10)}</Cell>
                  <Cell>
                    {display.state === "active" && (
                      <RevokeDisplayButton action={revokeDisplayAction} slug={board.slug} displayId={display.id} label={display.label} />
                    )}
                  </Cell>
                </Row>
              ))}
            </DataTable>
          </div>
        </Card>
      )}
    </div>
  );
}
