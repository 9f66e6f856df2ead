// The screens of a board or playlist, for those who manage it: pair one with
// the code it shows or create a display token, see when each was last seen,
// revoke one.
import { Badge } from "@/components/ui/badge";
import { Card, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { Cell, DataTable, Row } from "@/components/ui/table";
import type { BoardFormState, DisplayTokenState } from "@/lib/actions/action-state";
import type { DisplayView } from "@/lib/boards/board-view";
import { CreateDisplayForm, PairDisplayForm, RevokeDisplayButton } from "./board-forms";

const stateTone = { active: "success", expired: "warning", revoked: "warning" } as const;

type Action<State> = (state: State, form: FormData) => Promise<State>;

export function ScreensCard({
  slug,
  target,
  displays,
  actions,
}: {
  slug: string;
  target: "board" | "playlist";
  displays: DisplayView[];
  actions: { pair: Action<DisplayTokenState>; create: Action<DisplayTokenState>; revoke: Action<BoardFormState> };
}) {
  return (
    <Card className="space-y-4">
      <CardHeader>
        <CardTitle>Screens</CardTitle>
        <CardDescription>
          Open <code>/display/pair</code> on the screen and type the code it shows, or create a display token and open its address on the screen.
        </CardDescription>
      </CardHeader>
      <PairDisplayForm action={actions.pair} slug={slug} target={target} />
      <CreateDisplayForm action={actions.create} slug={slug} target={target} />
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
                <Badge variant={stateTone[display.state]}>{display.state}</Badge>
                {display.revokedByName && <div className="text-xs text-muted-foreground">by {display.revokedByName}</div>}
              </Cell>
              <Cell className="text-xs">{display.lastSeenAt ? <RelativeTime iso={display.lastSeenAt} /> : "never"}</Cell>
              <Cell className="max-w-64 truncate text-xs" title={display.userAgent ?? undefined}>
                {display.userAgent ?? "—"}
              </Cell>
              <Cell className="text-xs">{display.expiresAt.slice(0, 10)}</Cell>
              <Cell>
                {display.state === "active" && (
                  <RevokeDisplayButton action={actions.revoke} slug={slug} displayId={display.id} label={display.label} target={target} />
                )}
              </Cell>
            </Row>
          ))}
        </DataTable>
      </div>
    </Card>
  );
}
