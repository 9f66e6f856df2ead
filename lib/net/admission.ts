// Admission control for the web process (decision 0047). One Node process
// renders every page and answers every API call; past a few dozen requests at
// once each of them only gets slower, until clients time out after 30 s with
// nothing served (issue 19: 56 % of requests at 200 clients). So a bounded
// number run at once; a few more wait briefly in line for a slot; the rest are
// answered 503 with Retry-After at once, which a client (or the ingress, or a
// person) can act on. A request holds its slot from its first byte until its
// response has ended or its connection closed.
//
// Not counted: the probes (a busy process is alive and ready, and must not be
// restarted or taken out of the Service for it), the live streams (they stay
// open for hours and have their own bound per person, lib/changes/stream-slots.ts)
// and Next's static files (a page that was admitted needs them; they are read
// from disk, not rendered).
import type { IncomingMessage, ServerResponse } from "node:http";

export interface AdmissionOptions {
  /** Requests handled at once. */
  maxInFlight: number;
  /** Requests that may wait for a slot; past them a request is refused at once. */
  maxQueued: number;
  /** The longest a request waits in line before it is refused; 0: no line. */
  maxQueueWaitMs: number;
  /** Sent as Retry-After on a refusal. */
  retryAfterSeconds: number;
  /** Headers every refusal carries (Wharf's security headers). */
  headers?: Record<string, string>;
  /** Told of each refusal, with the counts then; for a log line. */
  onShed?: (shed: { path: string; inFlight: number; queued: number; reason: "queue_full" | "waited_too_long" }) => void;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => unknown;

export interface Admission {
  /** Wraps Next's request handler: runs it when a slot is free, or refuses the request. */
  wrap(handler: RequestHandler): RequestHandler;
  /** What is running and waiting now. */
  stats(): { inFlight: number; queued: number; shed: number };
}

/** Liveness and readiness probes. */
const probe = /^\/api\/(healthz|readyz)\/?$/;
/** Server-sent event streams: the change feed under /api/v1 and a wall screen's board stream. */
const stream = /^\/api\/v1\/(.+\/)?stream\/?$|^\/display\/[^/]+\/stream\/?$/;
const staticFile = /^\/_next\/static\//;

/** The request's path without its query; "" when it has none we can read. */
function pathOf(request: IncomingMessage): string {
  const url = request.url ?? "";
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** Whether the request bypasses the bound: probes, live streams and static files. */
export function isExempt(path: string): boolean {
  return probe.test(path) || stream.test(path) || staticFile.test(path);
}

/** JSON for the API and a wall screen's data routes (as proxy.ts tells them apart), a small page for everything else. */
function wantsJson(path: string, request: IncomingMessage): boolean {
  if (path.startsWith("/api/") || /^\/display\/[^/]+\/(snapshot|manifest\.webmanifest)$|^\/display\/pair\//.test(path)) return true;
  const accept = request.headers.accept ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

const page = (retryAfterSeconds: number) => `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta http-equiv="refresh" content="${retryAfterSeconds}"><title>Wharf is busy</title></head>
<body>
<h1>Wharf is busy</h1>
<p>Wharf has more requests than it can answer right now. This page tries again in ${retryAfterSeconds} seconds.</p>
</body>
</html>
`;

function refuse(request: IncomingMessage, response: ServerResponse, path: string, options: AdmissionOptions): void {
  if (response.headersSent || response.writableEnded) return;
  const seconds = options.retryAfterSeconds;
  const json = wantsJson(path, request);
  const body = json
    ? JSON.stringify({
        error: { code: "overloaded", message: `Wharf has more requests than it can answer right now; try again in ${seconds} s.` },
      })
    : page(seconds);
  response.writeHead(503, {
    ...options.headers,
    "retry-after": String(seconds),
    "cache-control": "no-store",
    "content-type": json ? "application/json" : "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(body),
  });
  response.end(request.method === "HEAD" ? undefined : body);
}

interface Waiter {
  admit: () => void;
  timer: NodeJS.Timeout | undefined;
  gone: boolean;
}

export function createAdmission(options: AdmissionOptions): Admission {
  if (!(options.maxInFlight >= 1)) throw new Error("maxInFlight must be at least 1");
  let inFlight = 0;
  let shed = 0;
  const line: Waiter[] = [];

  const leave = (waiter: Waiter) => {
    waiter.gone = true;
    clearTimeout(waiter.timer);
    const at = line.indexOf(waiter);
    if (at !== -1) line.splice(at, 1);
  };

  /** Gives a freed slot to the longest-waiting request still there. */
  const release = () => {
    inFlight--;
    while (line.length) {
      const next = line.shift()!;
      if (next.gone) continue;
      next.admit();
      return;
    }
  };

  const wrap =
    (handler: RequestHandler): RequestHandler =>
    (request, response) => {
      const path = pathOf(request);
      if (isExempt(path)) return handler(request, response);

      const run = () => {
        inFlight++;
        let released = false;
        const done = () => {
          if (released) return;
          released = true;
          release();
        };
        // "close" follows "finish", and comes alone when the client went away first.
        response.once("close", done);
        try {
          const result = handler(request, response);
          if (result instanceof Promise) result.catch(() => undefined);
          return result;
        } catch (error) {
          done();
          throw error;
        }
      };

      if (inFlight < options.maxInFlight && line.length === 0) return run();

      const turnAway = (reason: "queue_full" | "waited_too_long") => {
        shed++;
        options.onShed?.({ path, inFlight, queued: line.length, reason });
        refuse(request, response, path, options);
      };
      if (options.maxQueueWaitMs <= 0 || line.length >= options.maxQueued) return turnAway("queue_full");

      const waiter: Waiter = { admit: () => undefined, timer: undefined, gone: false };
      waiter.admit = () => {
        leave(waiter);
        void run();
      };
      waiter.timer = setTimeout(() => {
        leave(waiter);
        turnAway("waited_too_long");
      }, options.maxQueueWaitMs);
      // A client that gives up while waiting leaves the line.
      response.once("close", () => {
        if (!waiter.gone) leave(waiter);
      });
      line.push(waiter);
    };

  return { wrap, stats: () => ({ inFlight, queued: line.length, shed }) };
}
