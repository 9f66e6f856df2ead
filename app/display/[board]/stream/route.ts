// A wall screen's live feed (server-sent events), decision 0041. It starts
// with the screen's whole snapshot (`snapshot`, as /snapshot answers it),
// then `ready`. Each board it shows then comes as a `board` event carrying
// the board's new snapshot, built once per web process for all the board's
// screens and written to each as the same bytes
// (lib/boards/board-snapshot-feed.ts): after an edit or a health poll the
// screen has its data without a request of its own. A playlist's edit sends
// the whole snapshot again (its rotation changed), or `change` when it could
// not be read (the screen reads it itself); a `refused` event, then the end
// of the stream, says the screen's token was revoked, expired or its board
// or playlist deleted.
// A playlist's edit may bring new boards: the stream follows them (and drops
// the ones it lost). Streams end after 8 to 10 minutes, each its own
// (`displayStreamLifetimeMs`), or at the token's expiry, and the screen
// reconnects, which checks its token again.
import { withDisplay } from "@/lib/auth/display-route";
import { checkDisplayToken, displayCookieName, displayRefusalMessages, touchDisplay } from "@/lib/auth/display-token";
import type { Actor } from "@/lib/auth/permissions";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { sseEventOfJson, sseResponse } from "@/lib/changes/sse-stream";
import { latestBoardSnapshot, watchBoardSnapshots } from "@/lib/boards/board-snapshot-feed";
import { getDisplaySnapshot } from "@/lib/boards/get-board-snapshot";
import { appVersion } from "@/lib/boards/app-version";
import { displayStreamLifetimeMs } from "@/lib/boards/data-age";
import { displaySnapshotJson } from "@/lib/boards/snapshot-json";
import type { DisplaySnapshot } from "@/lib/boards/board-snapshot";

const snapshotEvent = (body: DisplaySnapshot) => sseEventOfJson("snapshot", displaySnapshotJson(body));

export const GET = withDisplay(async (request, { slug, display }) => {
  await touchDisplay(display, request.headers.get("user-agent"));
  const token = request.cookies.get(displayCookieName)!.value;
  const { displayId, playlistId } = display.actor;
  return sseResponse(request, {
    retryMs: 5000,
    lifetimeMs: Math.min(displayStreamLifetimeMs(), display.expiresAt.getTime() - Date.now()),
    async start(channel) {
      /** The boards this stream is written, each with how to stop. */
      const watched = new Map<string, () => void>();
      channel.onClose(() => {
        for (const stop of watched.values()) stop();
        watched.clear();
      });
      const recheck = async () => {
        const check = await checkDisplayToken(token, slug).catch(() => null);
        if (check && !check.ok) {
          channel.send("refused", { reason: check.refusal, message: displayRefusalMessages[check.refusal] });
          channel.close();
          return null;
        }
        return check;
      };
      // Builds pushed before the whole snapshot is sent wait for it (the screen keeps the newer of the two).
      let held: Uint8Array[] | null = [];
      const watcher = { send: (event: Uint8Array) => (held ? void held.push(event) : channel.sendEncoded(event)), gone: () => void follow() };
      /** Watches the boards the token may view now, and only those. */
      const watchBoards = async (actor: Actor & { boardIds: readonly string[] }) => {
        for (const [id, stop] of watched)
          if (!actor.boardIds.includes(id)) {
            stop();
            watched.delete(id);
          }
        for (const id of actor.boardIds) {
          if (watched.has(id) || channel.closed) continue;
          const stop = await watchBoardSnapshots(actor, id, watcher);
          if (channel.closed || watched.has(id)) stop();
          else watched.set(id, stop);
        }
      };
      /** The token again (a playlist edited, a board deleted): refused, or the boards it may view now. */
      const follow = async () => {
        const check = await recheck();
        if (!check) return null;
        await watchBoards(check.actor).catch(() => channel.close());
        return check;
      };
      const onChange = (change: { kind: string; id: string }) => {
        if (change.kind === "display") void recheck();
        else if (change.kind === "playlist")
          void follow().then(async (check) => {
            if (!check || channel.closed) return;
            const latest = (boardId: string) => latestBoardSnapshot(check.actor, boardId);
            const body = await getDisplaySnapshot({ display: check, version: appVersion(), latest }).catch(() => null);
            if (body) channel.sendEncoded(snapshotEvent(body));
            else channel.send("change", change);
          });
      };
      const topics = [`display:${displayId}`, ...(playlistId ? [`playlist:${playlistId}`] : [])];
      channel.onClose(await subscribeToChanges(topics, onChange));
      await watchBoards(display.actor);
      // The boards' latest builds: 500 screens connecting cost no build of their own.
      const latest = (boardId: string) => latestBoardSnapshot(display.actor, boardId);
      channel.sendEncoded(snapshotEvent(await getDisplaySnapshot({ display, version: appVersion(), latest })));
      const pending = held;
      held = null;
      for (const event of pending) channel.sendEncoded(event);
      channel.send("ready", {});
    },
  });
});
