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
  return treeCpuSeconds(launcherPid, (cmd) => /next/.test(cmd) && !/postgres/.test(cmd));
}

/**
 * CPU seconds used so far by the PostgreSQL processes under `pid` (an embedded PostgreSQL is a child of the process that
 * started it: postmaster, a backend per connection, its background workers), ended backends included.
 */
export function postgresCpuSeconds(pid: number): number {
  return treeCpuSeconds(pid, (cmd) => /postgres/.test(cmd));
}

/** CPU seconds (user + system, with their ended children's) used so far by the processes under `rootPid` whose command line `match` accepts, from /proc. */
export function treeCpuSeconds(rootPid: number, match: (command: string) => boolean): number {
  let ticks = 0;
  for (const pid of descendants(rootPid)) {
    if (!match(processCommand(pid))) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // Its own time, and its ended children's (PostgreSQL's postmaster reaps the backends of closed connections: without
      // this, a backend ending within a measurement took its CPU out of the sum).
      ticks += Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
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

/** Resident memory of the Next.js server processes under a launcher, split as /proc/<pid>/status splits it (MB). */
export function webMemoryMb(launcherPid: number): { rss: number; anon: number; file: number } {
  const total = { rss: 0, anon: 0, file: 0 };
  for (const pid of descendants(launcherPid)) {
    const cmd = processCommand(pid);
    if (!/next/.test(cmd) || /postgres/.test(cmd)) continue;
    let status = "";
    try {
      status = readFileSync(`/proc/${pid}/status`, "utf8");
    } catch {
      continue;
    }
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) / 1024;
    total.rss += kb("VmRSS");
    total.anon += kb("RssAnon");
    total.file += kb("RssFile") + kb("RssShmem");
  }
  return total;
}
