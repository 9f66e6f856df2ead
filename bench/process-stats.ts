import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The ids of every process under `pid`, children first. */
export function descendants(pid: number): number[] {
  const out = execFileSync("ps", ["-e", "-o", "pid=,ppid="], { encoding: "utf8" });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split("\n")) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    if (child === undefined || parent === undefined) continue;
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const all: number[] = [];
  const queue = [pid];
  while (queue.length) {
    for (const child of children.get(queue.shift()!) ?? []) {
      all.push(child);
      queue.push(child);
    }
  }
  return all;
}

/** RSS in MB of the Next.js server processes under a launcher (not PostgreSQL, not the launcher). */
export function webRssMb(launcherPid: number): number {
  let kb = 0;
  for (const pid of descendants(launcherPid)) {
    const cmd = execFileSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" });
    if (!/next/.test(cmd) || /postgres/.test(cmd)) continue;
    kb += Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim() || 0);
  }
  return kb / 1024;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU seconds (user + system) used so far by the Next.js server processes under a launcher, read from /proc. */
export function webCpuSeconds(launcherPid: number): number {
  let ticks = 0;
  for (const pid of descendants(launcherPid)) {
    const cmd = execFileSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" });
    if (!/next/.test(cmd) || /postgres/.test(cmd)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks / 100;
}

/** The command line of a process, or "" once it has ended. */
export function processCommand(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return "";
  }
}

/** The web server under a launcher (`scripts/web-server.ts` names itself next-server), if one runs. */
export function webServerPid(launcherPid: number): number | undefined {
  return descendants(launcherPid).find((pid) => processCommand(pid).startsWith("next-server"));
}

/** RSS in MB of one process (not its children), or 0 once it has ended. */
export function processRssMb(pid: number): number {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return Number(kb ?? 0) / 1024;
  } catch {
    return 0;
  }
}
