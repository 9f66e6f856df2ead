// `npm start` as an operator meets it: a second Wharf, started by this test in
// a fresh data folder on free ports from the build the e2e web server made.
// Its web server is killed with SIGKILL (as the OOM killer would) and must
// come back; SIGTERM to the launcher must then stop every process it started
// and release the data folder.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../lib/net/free-port";

/** Process ids of the live processes under `pid`, with their command lines. */
function descendants(pid: number): { pid: number; command: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state === "Z") continue;
      children.set(Number(parent), [...(children.get(Number(parent)) ?? []), Number(entry)]);
    } catch {
      // ended while we looked
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = (parent: number) => {
    for (const child of children.get(parent) ?? []) {
      let command = "";
      try {
        command = readFileSync(`/proc/${child}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      } catch {
        continue;
      }
      found.push({ pid: child, command });
      walk(child);
    }
  };
  walk(pid);
  return found;
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

async function healthz(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://localhost:${port}/api/healthz`)).ok;
  } catch {
    return false;
  }
}

test("the launcher starts its web server again after a SIGKILL, and SIGTERM stops everything it started", async () => {
  test.setTimeout(300_000);
  // Under the checkout like the e2e server's .data/e2e: as root, PostgreSQL runs as a user that cannot enter a private temp folder.
  const dataDir = resolve(".data", "test", `launcher-${randomBytes(4).toString("hex")}`);
  const port = await freePort();
  // As `npm start` runs it: node with tsx's loader, so signals reach the launcher itself.
  const launcher = spawn(process.execPath, ["--import", "tsx", join("scripts", "start.ts")], {
    env: { ...process.env, PORT: String(port), WHARF_DATA_DIR: dataDir, WHARF_MODE: "sandbox", DATABASE_URL: "", WHARF_WORKER: "off", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  launcher.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => launcher.once("exit", (code) => done(code)));
  /** Waits until the launcher's output shows `pattern`; fails at once if the launcher has ended. */
  const said = async (pattern: RegExp, timeoutMs: number) => {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((done) => setTimeout(done, 250))) {
      if (pattern.test(output)) return;
      if (launcher.exitCode !== null || launcher.signalCode !== null) break;
    }
    throw new Error(
      `the launcher did not say ${pattern} (${launcher.exitCode === null ? "still running" : `ended with ${launcher.exitCode}`}); it said:\n${output}`,
    );
  };
  try {
    await said(/Wharf is ready at/, 180_000);
    expect(output).not.toContain("building the web app");

    const started = descendants(launcher.pid!);
    const webServer = started.find((child) => child.command.startsWith("next-server"));
    expect(webServer, `a next-server among ${JSON.stringify(started)}`).toBeDefined();
    expect(started.some((child) => child.command.includes("sandbox/main.ts"))).toBe(true);
    expect(started.some((child) => /postgres/.test(child.command))).toBe(true);

    process.kill(webServer!.pid, "SIGKILL");
    await said(/the web server was killed by SIGKILL; starting it again in \d+\.\d s/, 30_000);
    await said(/the web server answers again/, 120_000);
    expect(await healthz(port)).toBe(true);
    const again = descendants(launcher.pid!).find((child) => child.command.startsWith("next-server"));
    expect(again?.pid).not.toBe(webServer!.pid);

    const all = descendants(launcher.pid!);
    launcher.kill("SIGTERM");
    expect(await Promise.race([exited, new Promise((done) => setTimeout(() => done("still running after 60 s"), 60_000))])).toBe(0);
    await expect.poll(() => all.filter((child) => isRunning(child.pid)), { timeout: 15_000 }).toEqual([]);
    expect(existsSync(join(dataDir, "pg", "postmaster.pid")), "PostgreSQL's lock on the data folder is released").toBe(false);
    expect(await healthz(port)).toBe(false);
  } finally {
    if (launcher.exitCode === null && launcher.signalCode === null) {
      for (const process_ of descendants(launcher.pid!)) {
        try {
          process.kill(process_.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      launcher.kill("SIGKILL");
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
