// A second Wharf started as `npm start` starts it, for the specs that need their own (e2e/launcher.spec.ts,
// e2e/map-overview.spec.ts): a fresh data folder under the checkout, free ports, the build the e2e web server made.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { freePort } from "../lib/net/free-port";

/** Process ids of the live processes under `pid`, with their command lines. */
export function descendants(pid: number): { pid: number; command: string }[] {
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

export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

export interface Launcher {
  child: ChildProcess;
  port: number;
  dataDir: string;
  exited: Promise<number | null>;
  output(): string;
  /** Waits until the launcher's output shows `pattern`; fails at once if the launcher has ended. */
  said(pattern: RegExp, timeoutMs: number): Promise<void>;
  /** Kills whatever is left of it and removes its data folder. */
  cleanUp(): void;
}

export async function startLauncher(env: Record<string, string>): Promise<Launcher> {
  // Under the checkout like the e2e server's .data/e2e: as root, PostgreSQL runs as a user that cannot enter a private temp folder.
  const dataDir = resolve(".data", "test", `launcher-${randomBytes(4).toString("hex")}`);
  const port = await freePort();
  // As `npm start` runs it: node with tsx's loader, so signals reach the launcher itself.
  const child = spawn(process.execPath, ["--import", "tsx", join("scripts", "start.ts")], {
    env: {
      ...process.env,
      PORT: String(port),
      WHARF_DATA_DIR: dataDir,
      WHARF_MODE: "sandbox",
      DATABASE_URL: "",
      LOG_LEVEL: "warn",
      WHARF_DEMO_ESTATE: "off",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return {
    child,
    port,
    dataDir,
    exited,
    output: () => output,
    said: async (pattern, timeoutMs) => {
      for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((done) => setTimeout(done, 250))) {
        if (pattern.test(output)) return;
        if (child.exitCode !== null || child.signalCode !== null) break;
      }
      throw new Error(
        `the launcher did not say ${pattern} (${child.exitCode === null ? "still running" : `ended with ${child.exitCode}`}); it said:\n${output}`,
      );
    },
    cleanUp: () => {
      if (child.exitCode === null && child.signalCode === null) {
        for (const process_ of descendants(child.pid!)) {
          try {
            process.kill(process_.pid, "SIGKILL");
          } catch {
            // already gone
          }
        }
        child.kill("SIGKILL");
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
