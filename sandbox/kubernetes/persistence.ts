// Each cluster's objects live in <stateDir>/kubernetes/<cluster>.json so a
// sandbox restart keeps what Wharf provisioned. Writes are debounced (a burst
// of changes is one write) and atomic (temp file + rename), so a crash leaves
// either the old or the new state, never half a file.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ClusterSnapshot, ClusterStore } from "./store";

export function clusterStateFile(stateDir: string, cluster: string): string {
  return join(stateDir, "kubernetes", `${cluster}.json`);
}

export function loadSnapshot(file: string): ClusterSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<ClusterSnapshot>;
  if (typeof parsed.revision !== "number" || typeof parsed.objects !== "object" || parsed.objects === null) {
    throw new Error(`${file} is not a sandbox cluster state file; delete it or start the sandbox with --reset`);
  }
  return { revision: parsed.revision, objects: parsed.objects };
}

function writeSnapshot(file: string, snapshot: ClusterSnapshot): void {
  mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temporary, file);
}

export interface PersistedStore {
  /** Writes now if anything changed since the last write. */
  flush(): void;
  /** Stops listening and writes pending changes. */
  close(): void;
}

/** Keeps `file` in step with `store`, writing at most once per `delayMs`. */
export function persistStore(store: ClusterStore, file: string, delayMs: number): PersistedStore {
  let timer: NodeJS.Timeout | undefined;
  let dirty = false;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty) return;
    dirty = false;
    writeSnapshot(file, store.snapshot());
  };
  const unsubscribe = store.subscribe(() => {
    dirty = true;
    timer ??= setTimeout(flush, delayMs);
  });
  if (!existsSync(file)) {
    dirty = true;
    flush();
  }
  return {
    flush,
    close: () => {
      unsubscribe();
      flush();
    },
  };
}
