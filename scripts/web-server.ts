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
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join, resolve } from "node:path";
import { apiSecurityHeaders } from "../lib/auth/security-headers";
import { ConfigError, loadConfig } from "../lib/config";
import { logger } from "../lib/logger";
import { createAdmission } from "../lib/net/admission";

// `next start` sets these; a custom server must before Next is loaded. The name is what operators (and
// e2e/launcher.spec.ts) look for among the processes.
process.title = "next-server (wharf)";
(process.env as Record<string, string>).NODE_ENV = "production";

/** Retry-After on a refusal: long enough for a burst to pass, short enough that a person's retry finds room. */
const RETRY_AFTER_SECONDS = 2;
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

  const server = createServer(
    admission.wrap((request, response) =>
      handle(request, response).catch((error: unknown) => {
        logger.error({ err: error, url: request.url }, "the web server failed to handle a request");
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end("Internal Server Error");
      }),
    ),
  );
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
      `web server listening on port ${config.port}: at most ${maxInFlight} requests at once, ${maxQueued} more waiting up to ${maxQueueWaitMs} ms\n`,
    );
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`web server cannot start: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
