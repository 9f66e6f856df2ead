// Each cluster's objects live in <stateDir>/kubernetes/<cluster>.json so a
// sandbox restart keeps what Wharf provisioned. Writes are debounced (a burst
// of changes is one write) and atomic (temp file + rename), so a crash leaves
// either the old or the new state, never half a file.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { open, rm } from "node:fs/promises";
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

/** About 0.3 MB of pods: serializing one piece blocks the event loop for a few milliseconds. */
const objectsPerChunk = 100;

/** The state file's text in pieces of a hundred objects: one string of 10,000 pods and their events is tens of megabytes. */
function* snapshotChunks(snapshot: ClusterSnapshot): Generator<string> {
  yield `{"revision":${snapshot.revision},"objects":{`;
  let first = true;
  for (const [key, objects] of Object.entries(snapshot.objects)) {
    yield `${first ? "" : ","}${JSON.stringify(key)}:[`;
    first = false;
    for (let start = 0; start < objects.length; start += objectsPerChunk) {
      yield (
        (start > 0 ? "," : "") +
        objects
          .slice(start, start + objectsPerChunk)
          .map((object) => JSON.stringify(object))
          .join(",")
      );
    }
    yield "]";
  }
  yield "}}";
}

function temporaryFile(file: string, suffix = "tmp"): string {
  mkdirSync(join(file, ".."), { recursive: true, mode: 0o700 });
  return `${file}.${process.pid}.${suffix}`;
}

/**
 * Below this many objects a write takes a few milliseconds and is done at once. Was 5,000: under 100
 * rollouts the cluster held ~2,000-4,000 objects, rewritten at once every 200 ms, and each write held up
 * the watches Wharf's informer reads (bench/deployments.ts).
 */
const backgroundFromObjects = 500;

function objectCount(snapshot: ClusterSnapshot): number {
  return Object.values(snapshot.objects).reduce((total, objects) => total + objects.length, 0);
}

function writeSnapshot(file: string, snapshot: ClusterSnapshot): void {
  const temporary = temporaryFile(file);
  const fd = openSync(temporary, "w", 0o600);
  try {
    for (const chunk of snapshotChunks(snapshot)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/**
 * The same file, written a chunk per turn of the event loop: serializing a
 * large cluster at once blocked every request for most of a second. Stored
 * objects are never changed in place, so the snapshot's references stay a
 * consistent picture while later writes go on.
 */
async function writeSnapshotInBackground(file: string, snapshot: ClusterSnapshot, stillCurrent: () => boolean): Promise<void> {
  const temporary = temporaryFile(file, "background.tmp");
  const handle = await open(temporary, "w", 0o600);
  // One buffer, encoded into again for every piece: a fresh native copy per piece (hundreds per write)
  // left glibc's heap fragmented and the process's memory growing after every state write.
  let buffer = Buffer.allocUnsafeSlow(1024 * 1024);
  try {
    for (const chunk of snapshotChunks(snapshot)) {
      const bytes = Buffer.byteLength(chunk);
      if (bytes > buffer.length) buffer = Buffer.allocUnsafeSlow(bytes);
      buffer.write(chunk);
      await handle.write(buffer, 0, bytes);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    await handle.close();
  }
  // A synchronous flush (on close) may have written a newer picture meanwhile; check and rename in one turn.
  if (stillCurrent()) renameSync(temporary, file);
  else await rm(temporary, { force: true });
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
  let writing: Promise<void> | undefined;
  let closed = false;
  // Serializing a large cluster costs CPU every request competes for: wait ten times as long as the last write took.
  let lastWriteMs = 0;
  const schedule = (): void => {
    timer ??= setTimeout(
      () => {
        timer = undefined;
        writeLater();
      },
      Math.max(delayMs, lastWriteMs * 10),
    );
  };
  let generation = 0;
  const writeLater = (): void => {
    if (!dirty || writing || closed) return;
    const snapshot = store.snapshot();
    if (objectCount(snapshot) < backgroundFromObjects) {
      flush();
      return;
    }
    dirty = false;
    const started = generation;
    const startedAt = performance.now();
    writing = writeSnapshotInBackground(file, snapshot, () => generation === started)
      .then(() => {
        lastWriteMs = performance.now() - startedAt;
      })
      .catch((error: unknown) => {
        dirty = true;
        console.error(`[sandbox/k8s] ${store.cluster}: could not write ${file}`, error);
      })
      .finally(() => {
        writing = undefined;
        // Changes made while writing go out in the next write.
        if (dirty && !closed) schedule();
      });
  };
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!dirty && !writing) return;
    dirty = false;
    generation += 1;
    // Synchronous; a background write still in progress sees the new generation and discards its older picture.
    const startedAt = performance.now();
    writeSnapshot(file, store.snapshot());
    lastWriteMs = performance.now() - startedAt;
  };
  const unsubscribe = store.subscribe(() => {
    dirty = true;
    if (!writing) schedule();
  });
  if (!existsSync(file)) {
    dirty = true;
    flush();
  }
  return {
    flush,
    close: () => {
      closed = true;
      unsubscribe();
      flush();
    },
  };
}
