// The production web server: Next's own request handler (the `next` package's
// programmatic API, the same handler `next start` runs) behind admission
// control (lib/net/admission.ts, decision 0047). Next's proxy (middleware)
// cannot bound the requests in flight: it runs before a request and never
// learns when its response has ended. `npm start` runs this in place of
// `next start` (scripts/start.ts); the container image runs it compiled, as
// dist/web-server.mjs from Next's standalone output (decision 0055).
//
//   node --import tsx scripts/web-server.ts
//
// Reads the same configuration as the rest of Wharf (lib/config.ts): PORT,
// WHARF_KEEPALIVE_SECONDS, WHARF_MAX_IN_FLIGHT, WHARF_ADMISSION_WAIT_MS.
//
// It listens only once every route's module is loaded and it has answered a
// request of its own (decision 0060): a port that accepts before then holds
// every request until the routes have loaded (18–81 s under load) and answers
// them all at once. `npm start` may run several of these as workers of one
// `node:cluster` sharing the port (WHARF_WEB_PROCESSES, decision 0060); each
// tells the launcher it is ready over IPC.
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";
import { apiSecurityHeaders, nonPagePolicy, securityHeaders } from "../lib/auth/security-headers";
import { ConfigError, loadConfig } from "../lib/config";
import { logger } from "../lib/logger";
import { createAdmission } from "../lib/net/admission";
import { requestRefusal } from "../lib/net/request-gate";
import { pageStatus, withRequestOutcome, type RequestOutcome } from "../lib/net/request-outcome";

// `next start` sets these; a custom server must before Next is loaded. The name is what operators (and
// e2e/launcher.spec.ts) look for among the processes.
process.title = "next-server (wharf)";
(process.env as Record<string, string>).NODE_ENV = "production";

/** Retry-After on a refusal: long enough for a burst to pass, short enough that a person's retry finds room. */
const RETRY_AFTER_SECONDS = 2;
/** How long the rest of a refused request's body may keep coming before its connection is closed. */
const REFUSED_BODY_GRACE_MS = 2_000;
/** How long requests in flight may take to finish after SIGTERM. */
const STOP_GRACE_MS = 10_000;
/** At most one log line about refusals per this many ms, with the count since the last. */
const SHED_LOG_EVERY_MS = 10_000;

async function main() {
  const config = loadConfig(process.env);
  const root = resolve(import.meta.dirname, "..");
  // The configuration `next build` resolved, as Next's standalone server.js hands it over: the image has no
  // next.config.mjs, and with it set Next does not warn that `next start` does not suit output: "standalone".
  if (!process.env.__NEXT_PRIVATE_STANDALONE_CONFIG) {
    const buildFile = join(root, ".next", "required-server-files.json");
    let built: { config: object };
    try {
      built = JSON.parse(readFileSync(buildFile, "utf8")) as { config: object };
    } catch {
      throw new Error(`no production build: ${buildFile} cannot be read (run \`npx next build\`, or \`npm start\`, which builds)`);
    }
    process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(built.config);
  }
  const { default: next } = await import("next");
  const app = next({ dev: false, dir: root, hostname: "localhost", port: config.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const routes = await loadEveryRoute(app);

  let unlogged = 0;
  let lastLog = 0;
  const admission = createAdmission({
    ...config.admission,
    retryAfterSeconds: RETRY_AFTER_SECONDS,
    headers: apiSecurityHeaders(config.publicUrl),
    onShed: ({ inFlight, queued }) => {
      unlogged++;
      if (Date.now() - lastLog < SHED_LOG_EVERY_MS) return;
      logger.warn({ refused: unlogged, inFlight, queued, maxInFlight: config.admission.maxInFlight }, "the web server is full; refusing requests with 503");
      unlogged = 0;
      lastLog = Date.now();
    },
  });

  // Which of the launcher's web processes answered (1 to WHARF_WEB_PROCESSES), only when there are several: a number
  // that says nothing an attacker could use, for operators and e2e/launcher.spec.ts to tell them apart.
  const processNumber = process.env.WHARF_WEB_PROCESS_NUMBER;
  const refusalHeaders = securityHeaders({ policy: nonPagePolicy, https: config.publicUrl.startsWith("https://"), noStore: true });
  const handleOne = (request: IncomingMessage, response: ServerResponse) => {
    if (processNumber) response.setHeader("x-wharf-process", processNumber);
    const refusal = requestRefusal(request.url ?? "/", request.headers);
    if (refusal) {
      // Nothing of the body is kept: it is read and dropped while the answer goes out. Closing the connection at once would
      // reset it under a client still sending, which then sees the reset rather than the answer (as lib/api/read-body.ts);
      // a body still coming after a moment is cut off then.
      request.resume();
      const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
      response.writeHead(refusal.status, { ...refusalHeaders, "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      response.end(body);
      setTimeout(() => {
        if (!request.complete) request.socket.destroy();
      }, REFUSED_BODY_GRACE_MS).unref();
      return Promise.resolve();
    }
    return withRequestOutcome((outcome) => {
      applyOutcomeOnHead(request, response, outcome);
      return handle(request, response).catch((error: unknown) => {
        logger.error({ err: error, url: request.url }, "the web server failed to handle a request");
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end("Internal Server Error");
      });
    });
  };
  const warmed = await answerOwnRequests(handleOne);
  const loaded = routes === undefined ? "Next did not say how to load its routes ahead; " : `loaded ${routes} routes, `;
  process.stdout.write(`web server${processNumber ? ` ${processNumber}` : ""}: ${loaded}answered ${warmed}; listening now\n`);

  const server = createServer(admission.wrap(handleOne));
  // Node closes an idle connection after 5 s by default; a proxy that reuses it just then gets ECONNRESET (scripts/start.ts).
  server.keepAliveTimeout = config.keepAliveSeconds * 1000;

  // As `next start`: stop taking connections, let the requests in flight finish, close Next, exit 128 + signal. Unlike
  // it, not for ever: live streams and kept-alive connections would hold server.close() open, and a launcher that was
  // itself killed sends no SIGKILL after its grace time (15 s, scripts/web-process.ts).
  let stopping = false;
  const stop = (signal: "SIGINT" | "SIGTERM") => {
    if (stopping) return;
    stopping = true;
    const code = signal === "SIGINT" ? 130 : 143;
    server.close(() => void app.close().finally(() => process.exit(code)));
    server.closeIdleConnections();
    setTimeout(() => {
      server.closeAllConnections();
      process.exit(code);
    }, STOP_GRACE_MS).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  server.on("error", (error) => {
    logger.error({ err: error }, "the web server could not listen");
    process.exit(1);
  });
  server.listen(config.port, () => {
    const { maxInFlight, maxQueued, maxQueueWaitMs } = config.admission;
    process.stdout.write(
      `web server${processNumber ? ` ${processNumber}` : ""} listening on port ${config.port}: ` +
        `at most ${maxInFlight} requests at once, ${maxQueued} more waiting up to ${maxQueueWaitMs} ms\n`,
    );
    // The launcher (scripts/start.ts) counts this process ready on this message; without IPC (the image) there is nobody to tell.
    process.send?.({ type: "ready" });
  });
}

/**
 * Gives a page's response the status its render noted (lib/net/request-outcome.ts, decision 0062) when its head is
 * written: Node writes every head through writeHead, the implicit one included.
 */
function applyOutcomeOnHead(request: IncomingMessage, response: ServerResponse, outcome: RequestOutcome): void {
  const writeHead = response.writeHead.bind(response) as (status: number, ...rest: unknown[]) => ServerResponse;
  response.writeHead = ((status: number, ...rest: unknown[]) => {
    const changed = pageStatus(outcome, request, status);
    if (!changed) return writeHead(status, ...rest);
    for (const [name, value] of Object.entries(changed.headers)) response.setHeader(name, value);
    // A reason phrase Next passed with the status would name the old one.
    const headers = rest.find((part) => typeof part === "object" && part !== null);
    return headers ? writeHead(changed.status, headers) : writeHead(changed.status);
  }) as ServerResponse["writeHead"];
}

/**
 * Loads every route's module before the port is opened. Next loads them after `prepare()` in the background (its
 * `preloadEntriesOnStart`, on by default), one by one with synchronous `require`s, and a request that arrives meanwhile
 * waits for them; under load that was 18–81 s of held requests, answered all at once (issue 15). Running the same preload
 * again and awaiting it returns once every module is in Node's module cache (the second pass finds them there). The
 * method is Next's (`unstable_preloadEntries` on the server `next()` wraps); if a Next upgrade moves it, the web server
 * still starts and says so, and answers its own requests below before it listens.
 */
async function loadEveryRoute(app: unknown): Promise<number | undefined> {
  type NodeServer = { unstable_preloadEntries?: () => Promise<void>; getAppPathsManifest?: () => Record<string, string> | undefined };
  const wrapper = (app as { server?: { getServer?: () => Promise<NodeServer> } }).server;
  const server = typeof wrapper?.getServer === "function" ? await wrapper.getServer() : undefined;
  if (typeof server?.unstable_preloadEntries !== "function") return undefined;
  await server.unstable_preloadEntries();
  return Object.keys(server.getAppPathsManifest?.() ?? {}).length;
}

/** Requests a web server answers on a port of its own before it listens: the probe, and a page through the proxy. */
const warmUpPaths = ["/api/healthz", "/sign-in"];
/** A warm-up request that takes longer is left (the server listens anyway: a slow answer beats none). */
const WARM_UP_TIMEOUT_MS = 60_000;

/**
 * Sends `warmUpPaths` through `handle` on a loopback port of this process alone (`exclusive`: not the cluster's shared
 * one), so the proxy's module, the first render and the first route handler have run before any client waits on them.
 * Returns what it answered, in words, for the start-up line.
 */
async function answerOwnRequests(handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): Promise<string> {
  const server: Server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => done());
  });
  const { port } = server.address() as AddressInfo;
  try {
    const answers: string[] = [];
    for (const path of warmUpPaths) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${path}`, { redirect: "manual", signal: AbortSignal.timeout(WARM_UP_TIMEOUT_MS) });
        await response.arrayBuffer();
        answers.push(`${path} ${response.status}`);
      } catch (error) {
        answers.push(`${path} not answered (${error instanceof Error ? error.message : String(error)})`);
      }
    }
    return answers.join(", ");
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`web server cannot start: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
