// `npm start` as an operator meets it: a second Wharf, started by this test in
// a fresh data folder on free ports from the build the e2e web server made.
// Its web server is killed with SIGKILL (as the OOM killer would) and must
// come back; SIGTERM to the launcher must then stop every process it started
// and release the data folder.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  const dataDir = mkdtempSync(join(tmpdir(), "wharf-launcher-"));
  const port = await freePort();
  const launcher = spawn(process.execPath, [join("node_modules", "tsx", "dist", "cli.mjs"), join("scripts", "start.ts")], {
    env: { ...process.env, PORT: String(port), WHARF_DATA_DIR: dataDir, WHARF_MODE: "sandbox", DATABASE_URL: "", WHARF_WORKER: "off", LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  launcher.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  launcher.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => launcher.once("exit", (code) => done(code)));
  try {
    await expect.poll(() => output, { timeout: 180_000, message: "the launcher to say Wharf is ready" }).toContain("Wharf is ready at");
    expect(output).not.toContain("building the web app");

    const started = descendants(launcher.pid!);
    const webServer = started.find((child) => child.command.startsWith("next-server"));
    expect(webServer, `a next-server among ${JSON.stringify(started)}`).toBeDefined();
    expect(started.some((child) => child.command.includes("sandbox/main.ts"))).toBe(true);
    expect(started.some((child) => /postgres/.test(child.command))).toBe(true);

    process.kill(webServer!.pid, "SIGKILL");
    await expect.poll(() => output, { timeout: 30_000 }).toMatch(/the web server was killed by SIGKILL; starting it again in \d+\.\d s/);
    await expect.poll(() => output, { timeout: 120_000, message: "the web server to come back" }).toContain("the web server answers again");
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
