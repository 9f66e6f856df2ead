// One way to answer with server-sent events, for the live views' stream
// (app/api/v1/stream) and the wall screens' (app/display/[board]/stream): a
// `retry:` hint first, a comment when a stream has been quiet for 20 s so
// proxies keep it open, an end after `lifetimeMs` (the client reconnects,
// which checks its credentials again), and everything the stream subscribed
// to stopped when it ends, however it ends (client gone, lifetime over, the
// route closed it, or a client so slow that events pile up unread).
//
// A web process may hold hundreds of streams (500 wall screens): they share
// one timer for heartbeats and lifetimes, one encoder, and an event sent to
// many streams is encoded once (`sseEvent`) and the same bytes written to
// each (decision 0041).
export interface SseChannel {
  /** Sends one event; nothing once the stream has ended. */
  send(event: string, data: unknown): void;
  /** Sends an event already encoded with `sseEvent` (the same bytes may go to many streams). */
  sendEncoded(event: Uint8Array): void;
  /** Ends the stream. */
  close(): void;
  /** Runs `stop` when the stream ends (at once when it already has). */
  onClose(stop: () => void): void;
  readonly closed: boolean;
}

const heartbeatMs = 20_000;
const tickMs = 5_000;
/** Events queued for a client that does not read them: past this many, the stream ends and the client reconnects and resyncs. */
const maxQueuedEvents = 64;
const encoder = new TextEncoder();

/** One event, encoded once: written as it is to every stream it goes to. */
export function sseEvent(event: string, data: unknown): Uint8Array {
  return sseEventOfJson(event, JSON.stringify(data));
}

/** The same, for data already encoded as JSON (one line: JSON.stringify never writes a line break). */
export function sseEventOfJson(event: string, json: string): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${json}\n\n`);
}

const keepAlive = encoder.encode(": keep-alive\n\n");

interface OpenStream {
  deadline: number;
  lastWrite: number;
  write(chunk: Uint8Array): void;
  close(): void;
}

const state = globalThis as typeof globalThis & { wharfSseStreams?: { open: Set<OpenStream>; ticker?: ReturnType<typeof setInterval> } };
const streams = () => (state.wharfSseStreams ??= { open: new Set() });

function track(stream: OpenStream) {
  const all = streams();
  all.open.add(stream);
  all.ticker ??= setInterval(tick, tickMs);
  all.ticker.unref?.();
}

function untrack(stream: OpenStream) {
  const all = streams();
  all.open.delete(stream);
  if (all.open.size === 0 && all.ticker) {
    clearInterval(all.ticker);
    all.ticker = undefined;
  }
}

function tick() {
  const now = Date.now();
  for (const stream of [...streams().open]) {
    if (now >= stream.deadline) stream.close();
    else if (now - stream.lastWrite >= heartbeatMs) stream.write(keepAlive);
  }
}

export function sseResponse(
  request: Request,
  { retryMs, lifetimeMs, start }: { retryMs: number; lifetimeMs: number; start: (channel: SseChannel) => Promise<void> },
): Response {
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      let closed = false;
      const stops: (() => void)[] = [];
      const open: OpenStream = {
        deadline: Date.now() + Math.max(1_000, lifetimeMs),
        lastWrite: Date.now(),
        write(chunk) {
          if (closed) return;
          try {
            controller.enqueue(chunk);
            open.lastWrite = Date.now();
            if ((controller.desiredSize ?? 0) < -maxQueuedEvents) close();
          } catch {
            close();
          }
        },
        close,
      };
      cleanup = () => {
        untrack(open);
        for (const stop of stops.splice(0)) stop();
      };
      function close() {
        if (closed) return;
        closed = true;
        cleanup();
        request.signal.removeEventListener("abort", close);
        try {
          controller.close();
        } catch {
          // already closed
        }
      }
      const channel: SseChannel = {
        send: (event, data) => open.write(sseEvent(event, data)),
        sendEncoded: (event) => open.write(event),
        close,
        onClose: (stop) => (closed ? stop() : void stops.push(stop)),
        get closed() {
          return closed;
        },
      };
      track(open);
      request.signal.addEventListener("abort", close);
      open.write(encoder.encode(`retry: ${retryMs}\n\n`));
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
