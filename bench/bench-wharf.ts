// What the benches share: Wharf under `scripts/start.ts` on its own embedded PostgreSQL and data folder (every bench that
// starts Wharf starts it here), the API as a signed-in persona, a board with a display token, and
// Chromium launched as the project's Playwright config launches it (WHARF_CHROMIUM_PATH chooses another browser,
// `playwright` Playwright's own).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { chromium, type Browser } from "@playwright/test";
import { startEmbeddedPostgres } from "../lib/db/embedded";
import { freePort } from "../lib/net/free-port";
import { BenchBrowser } from "./http-session";

export const root = resolve(import.meta.dirname, "..");
export const sleep = (millis: number) => new Promise((done) => setTimeout(done, millis));

export interface BenchWharf {
  base: string;
  launcher: ChildProcess;
  /** `.data/<name>`: the launcher's data folder (the sandbox writes its endpoints and cluster tokens there). */
  dataDir: string;
  databaseUrl: string;
  /** Seconds from spawning the launcher to `/api/readyz` answering 200 (a rebuild included). */
  startSeconds: number;
  /** Stops the launcher (which stops the web server and the sandbox), then PostgreSQL. */
  stop(): Promise<void>;
}

/** Starts Wharf in sandbox mode; rebuilt unless `keepBuild`. `env` adds to (or overrides) the launcher's environment. */
export async function startBenchWharf(options: { name: string; port: number; keepBuild: boolean; env?: Record<string, string> }): Promise<BenchWharf> {
  const dataDir = join(root, ".data", options.name);
  rmSync(dataDir, { recursive: true, force: true });
  const database = await startEmbeddedPostgres({ dataDir: join(dataDir, "pg"), port: await freePort() });
  const base = `http://localhost:${options.port}`;
  const started = performance.now();
  // As `npm start` runs it: node with tsx's loader, so the SIGTERM of stop() reaches the launcher itself. Through tsx's CLI
  // (as the other benches started it until 2026-12) the launcher's web server outlived a run, still holding the port.
  const launcher = spawn(process.execPath, ["--import", "tsx", join(root, "scripts", "start.ts"), ...(options.keepBuild ? [] : ["--rebuild"])], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(options.port),
      WHARF_DATA_DIR: dataDir,
      WHARF_MODE: "sandbox",
      DATABASE_URL: database.url,
      LOG_LEVEL: "warn",
      // One web process, so figures compare with runs before decision 0060; WHARF_WEB_PROCESSES runs more.
      WHARF_WEB_PROCESSES: process.env.WHARF_WEB_PROCESSES || "1",
      // Each bench makes the workloads it measures; the demo estate's rollouts and first cost sync would run meanwhile.
      WHARF_DEMO_ESTATE: process.env.WHARF_DEMO_ESTATE || "off",
      ...options.env,
    },
    // The launcher's own lines ("the web server … starting it again") and next build's go to stdout: kept, they say what a
    // restart did and why a build failed.
    stdio: ["ignore", "inherit", "inherit"],
  });
  const stop = async () => {
    if (launcher.exitCode === null && launcher.signalCode === null) {
      launcher.kill("SIGTERM");
      await new Promise((done) => launcher.once("exit", done));
    }
    await database.stop();
  };
  try {
    // A rebuild on a loaded 2-core machine has taken 15 minutes; the launcher exiting ends the wait at once.
    const deadline = Date.now() + (options.keepBuild ? 10 : 40) * 60_000;
    while (!(await fetch(`${base}/api/readyz`).catch(() => null))?.ok) {
      if (launcher.exitCode !== null) throw new Error(`the launcher exited (code ${launcher.exitCode}) before Wharf was ready; see the output above`);
      if (Date.now() > deadline) throw new Error(`Wharf was not ready after ${options.keepBuild ? 10 : 40} minutes; see the output above`);
      await sleep(500);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, launcher, dataDir, databaseUrl: database.url, startSeconds: (performance.now() - started) / 1000, stop };
}

/** A JSON request to Wharf's API as a signed-in persona; throws with the answer on anything but 2xx. */
export async function api<T>(base: string, persona: BenchBrowser, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { cookie: persona.header(), origin: base, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

export async function signedIn(base: string, persona: string): Promise<BenchBrowser> {
  const browser = new BenchBrowser();
  await browser.signIn(base, persona);
  return browser;
}

/** Chromium as playwright.config.ts launches it. */
export async function launchChromium(): Promise<Browser> {
  const path = process.env.WHARF_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : "playwright");
  return chromium.launch({
    executablePath: path === "playwright" ? undefined : path,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
    ],
  });
}

export function percentChange(from: number, to: number): number {
  return from === 0 ? 0 : ((to - from) / from) * 100;
}
