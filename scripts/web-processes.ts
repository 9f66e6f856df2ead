// How many web processes `npm start` runs behind its one port (decision 0060).
// WHARF_WEB_PROCESSES when set; otherwise one per core, at most 4, and at most
// one per GiB of the machine's memory: each may grow to its heap cap
// (WHARF_WEB_MAX_HEAP_MB, 384 MB) plus what V8 and Node keep beside it, and the
// embedded PostgreSQL and the sandbox need room too.
import { availableParallelism, totalmem } from "node:os";

/** The most web processes the default picks: beyond 4 the database, not the web tier, is what a single machine runs out of. */
export const maxDefaultWebProcesses = 4;
const bytesPerProcess = 1024 ** 3;

export interface Machine {
  cores: number;
  memoryBytes: number;
}

export function thisMachine(): Machine {
  return { cores: availableParallelism(), memoryBytes: totalmem() };
}

/** The number of web processes: the setting, or the machine's default. */
export function webProcessCount(setting: number | undefined, machine: Machine = thisMachine()): number {
  if (setting !== undefined) return setting;
  const byMemory = Math.floor(machine.memoryBytes / bytesPerProcess);
  return Math.max(1, Math.min(machine.cores, maxDefaultWebProcesses, byMemory));
}
