// A wall screen's live feed (server-sent events), through the web process's
// one LISTEN connection (lib/changes/change-feed.ts): a `change` event when
// health was polled or one of its boards (or its playlist) was edited (the
// screen refetches its snapshot), and a `refused` event, then the end of the
// stream, when the screen's token was revoked, expired or its board or
// playlist deleted. A playlist's edit may bring new boards: the stream
// follows them. Streams end after 10 minutes (or at the token's expiry) and
// the screen reconnects, which checks its token again.
import { withDisplay } from "@/lib/auth/display-route";
import { checkDisplayToken, displayCookieName, displayRefusalMessages, touchDisplay } from "@/lib/auth/display-token";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { sseResponse } from "@/lib/changes/sse-stream";
import { healthChangeTopic } from "@/lib/health/health-view";

const streamLifetimeMs = 10 * 60_000;

export const GET = withDisplay(async (request, { slug, display }) => {
  await touchDisplay(display, request.headers.get("user-agent"));
  const token = request.cookies.get(displayCookieName)!.value;
  const { displayId, playlistId } = display.actor;
  return sseResponse(request, {
    retryMs: 5000,
    lifetimeMs: Math.min(streamLifetimeMs, display.expiresAt.getTime() - Date.now()),
    async start(channel) {
      const watched = new Set<string>();
      const recheck = async () => {
        const check = await checkDisplayToken(token, slug).catch(() => null);
        if (check && !check.ok) {
          channel.send("refused", { reason: check.refusal, message: displayRefusalMessages[check.refusal] });
          channel.close();
          return null;
        }
        return check;
      };
      const onChange = (change: { kind: string; id: string }) => {
        if (change.kind === "display") {
          void recheck();
          return;
        }
        if (change.kind === "board" || change.kind === "playlist") {
          void recheck().then(async (check) => {
            if (!check) return;
            await watchBoards(check.actor.boardIds).catch(() => channel.close());
            channel.send("change", change);
          });
          return;
        }
        channel.send("change", change);
      };
      const watchBoards = async (boardIds: readonly string[]) => {
        const added = boardIds.filter((id) => !watched.has(id));
        for (const id of added) watched.add(id);
        if (added.length > 0 && !channel.closed)
          channel.onClose(
            await subscribeToChanges(
              added.map((id) => `board:${id}`),
              onChange,
            ),
          );
      };
      const topics = [healthChangeTopic, `display:${displayId}`, ...(playlistId ? [`playlist:${playlistId}`] : [])];
      channel.onClose(await subscribeToChanges(topics, onChange));
      await watchBoards(display.actor.boardIds);
      channel.send("ready", {});
    },
  });
});
