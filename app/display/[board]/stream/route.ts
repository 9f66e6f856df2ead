// A wall screen's live feed (server-sent events), through the web process's
// one LISTEN connection (lib/changes/change-feed.ts): a `change` event when
// health was polled or the board was edited (the screen refetches its
// snapshot), and a `refused` event, then the end of the stream, when the
// screen's token was revoked, expired or its board deleted. Streams end after
// 10 minutes (or at the token's expiry) and the screen reconnects, which
// checks its token again.
import { withDisplay } from "@/lib/auth/display-route";
import { checkDisplayToken, displayCookieName, displayRefusalMessages, touchDisplay } from "@/lib/auth/display-token";
import { subscribeToChanges } from "@/lib/changes/change-feed";
import { healthChangeTopic } from "@/lib/health/health-view";

const streamLifetimeMs = 10 * 60_000;

export const GET = withDisplay(async (request, { slug, display }) => {
  await touchDisplay(display, request.headers.get("user-agent"));
  const token = request.cookies.get(displayCookieName)!.value;
  const { boardId, displayId } = display.actor;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      const stops: (() => void)[] = [];
      const heartbeat = setInterval(() => send(": keep-alive\n\n"), 20_000);
      const lifetime = setTimeout(close, Math.max(1_000, Math.min(streamLifetimeMs, display.expiresAt.getTime() - Date.now())));
      cleanup = () => {
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        for (const stop of stops.splice(0)) stop();
      };
      request.signal.addEventListener("abort", close);
      send("retry: 5000\n\n");
      const recheck = async () => {
        const check = await checkDisplayToken(token, slug).catch(() => null);
        if (check && !check.ok) {
          send(`event: refused\ndata: ${JSON.stringify({ reason: check.refusal, message: displayRefusalMessages[check.refusal] })}\n\n`);
          close();
          return false;
        }
        return true;
      };
      try {
        stops.push(
          await subscribeToChanges([healthChangeTopic, `board:${boardId}`, `display:${displayId}`], (change) => {
            if (change.kind === "display") {
              void recheck();
              return;
            }
            if (change.kind === "board") {
              void recheck().then((ok) => ok && send(`event: change\ndata: ${JSON.stringify(change)}\n\n`));
              return;
            }
            send(`event: change\ndata: ${JSON.stringify(change)}\n\n`);
          }),
        );
      } catch {
        // No live feed (the LISTEN connection is down): the screen polls its snapshot and reconnects with backoff.
        close();
        return;
      }
      send(`event: ready\ndata: {}\n\n`);
      if (closed) cleanup();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" } });
});
