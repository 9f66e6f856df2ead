// One way to answer with server-sent events, for the live views' stream
// (app/api/v1/stream) and the wall screens' (app/display/[board]/stream): a
// `retry:` hint first, a comment every 20 s so proxies keep an idle stream
// open, an end after `lifetimeMs` (the client reconnects, which checks its
// credentials again), and everything the stream subscribed to stopped when
// it ends, however it ends (client gone, lifetime over, the route closed it).
export interface SseChannel {
  /** Sends one event; nothing once the stream has ended. */
  send(event: string, data: unknown): void;
  /** Ends the stream. */
  close(): void;
  /** Runs `stop` when the stream ends (at once when it already has). */
  onClose(stop: () => void): void;
  readonly closed: boolean;
}

const heartbeatMs = 20_000;

export function sseResponse(
  request: Request,
  { retryMs, lifetimeMs, start }: { retryMs: number; lifetimeMs: number; start: (channel: SseChannel) => Promise<void> },
): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const stops: (() => void)[] = [];
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          close();
        }
      };
      const heartbeat = setInterval(() => write(": keep-alive\n\n"), heartbeatMs);
      const lifetime = setTimeout(() => close(), Math.max(1_000, lifetimeMs));
      cleanup = () => {
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        for (const stop of stops.splice(0)) stop();
      };
      function close() {
        if (closed) return;
        closed = true;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      }
      const channel: SseChannel = {
        send: (event, data) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
        close,
        onClose: (stop) => (closed ? stop() : void stops.push(stop)),
        get closed() {
          return closed;
        },
      };
      request.signal.addEventListener("abort", close);
      write(`retry: ${retryMs}\n\n`);
      try {
        await start(channel);
      } catch {
        // No live feed (the database's LISTEN connection is down): the client polls and reconnects.
        close();
      }
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { "content-type": "text/event-stream", "cache-control": "no-store, no-transform", "x-accel-buffering": "no" } });
}
