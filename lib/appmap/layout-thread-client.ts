// The full elkjs layout off the event loop (decision 0045): one long-lived
// worker_threads Worker, started on the first full layout and reused. elkjs
// runs synchronously for seconds at 2,000 nodes; on the process that runs
// jobs that would stall the health poll, cost sync and rollouts meanwhile.
//
// Layouts run one at a time (each waits for the one before it), so a time
// bound counts only its own layout. A layout elkjs rejects, a thread that
// dies, and a layout past its time bound reject with a MapLayoutError; the
// thread is then dropped (terminated if still running) and the next layout
// starts a new one. The thread is unref'd while idle, so it never keeps a
// process alive.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Position } from "@/lib/appmap/types";

/** An ELK JSON graph: layout options, sized children, edges by id. */
export interface ElkInput {
  id: string;
  layoutOptions: Record<string, string>;
  children: { id: string; width: number; height: number }[];
  edges: { id: string; sources: string[]; targets: string[] }[];
}

export type MapLayoutFailure = "rejected" | "timeout" | "thread-stopped";

export class MapLayoutError extends Error {
  readonly reason: MapLayoutFailure;
  constructor(reason: MapLayoutFailure, message: string) {
    super(message);
    this.name = "MapLayoutError";
    this.reason = reason;
  }
}

/**
 * How long a full layout may take before it is abandoned. Research §5 and
 * bench/map.ts: seconds for 2,000 nodes and 6,000 edges; this leaves room for
 * a loaded machine while keeping a stuck layout from holding the health cycle.
 */
export const defaultLayoutTimeoutMs = 120_000;

// The thread's script is plain JavaScript beside this file. Under tsx and
// vitest this module's URL is its source file; bundled by Next, it is a chunk
// under .next, and the script is found from the project's root (the web
// process runs there, as lib/boards/app-version.ts assumes).
function threadScript(): string {
  const beside = import.meta.url.startsWith("file:") ? join(dirname(fileURLToPath(import.meta.url)), "layout-thread.mjs") : null;
  if (beside && existsSync(beside)) return beside;
  return join(/* turbopackIgnore: true */ process.cwd(), "lib", "appmap", "layout-thread.mjs");
}

interface Pending {
  id: number;
  settle: (outcome: { positions: Record<string, Position> } | { error: Error }) => void;
}

interface LayoutThread {
  worker: Worker;
  /** The layout this thread is running, if any; each thread settles only its own. */
  pending?: Pending;
}

let current: LayoutThread | undefined;
let nextId = 1;
let queue: Promise<unknown> = Promise.resolve();

function settle(thread: LayoutThread, outcome: { positions: Record<string, Position> } | { error: Error }): void {
  const running = thread.pending;
  thread.pending = undefined;
  thread.worker.unref();
  running?.settle(outcome);
}

/** Drops the thread (terminated if still running); the next layout starts a new one. */
function drop(thread: LayoutThread): void {
  if (current === thread) current = undefined;
  void thread.worker.terminate().catch(() => undefined);
}

function start(): LayoutThread {
  const thread: LayoutThread = { worker: new Worker(threadScript(), { name: "wharf-map-layout" }) };
  thread.worker.on("message", (message: { id: number; positions?: Record<string, Position>; error?: string }) => {
    if (message.id !== thread.pending?.id) return;
    if (message.error !== undefined) {
      // elkjs's state after a throw is not known to be sound: the next layout gets a fresh thread.
      drop(thread);
      settle(thread, { error: new MapLayoutError("rejected", `elkjs could not lay out the map: ${message.error}`) });
    } else settle(thread, { positions: message.positions ?? {} });
  });
  thread.worker.on("error", (error) => {
    drop(thread);
    settle(thread, { error: new MapLayoutError("thread-stopped", `The map's layout thread failed: ${error.message}`) });
  });
  thread.worker.on("exit", (code) => {
    if (current === thread) current = undefined;
    settle(thread, { error: new MapLayoutError("thread-stopped", `The map's layout thread stopped (exit code ${code}) before the layout was done.`) });
  });
  thread.worker.unref();
  return thread;
}

function runOne(graph: ElkInput, timeoutMs: number): Promise<Record<string, Position>> {
  const thread = (current ??= start());
  const id = nextId++;
  return new Promise<Record<string, Position>>((resolve, reject) => {
    const timer = setTimeout(() => {
      if (thread.pending?.id !== id) return;
      // A synchronous layout cannot be interrupted inside its thread: the thread goes with it.
      drop(thread);
      settle(thread, {
        error: new MapLayoutError(
          "timeout",
          `The map's layout (${graph.children.length} nodes, ${graph.edges.length} edges) took longer than ` +
            `${(timeoutMs / 1000).toLocaleString("en", { maximumFractionDigits: 1 })} s and was abandoned.`,
        ),
      });
    }, timeoutMs);
    thread.pending = {
      id,
      settle: (outcome) => {
        clearTimeout(timer);
        if ("error" in outcome) reject(outcome.error);
        else resolve(outcome.positions);
      },
    };
    // Held while a layout is under way, so a script awaiting it does not exit; unref'd again when it settles.
    thread.worker.ref();
    thread.worker.postMessage({ id, graph });
  });
}

/** Lays an ELK graph out in the layout thread: node id → top-left position, rounded. */
export function layoutInThread(graph: ElkInput, options: { timeoutMs?: number } = {}): Promise<Record<string, Position>> {
  const run = queue.then(() => runOne(graph, options.timeoutMs ?? defaultLayoutTimeoutMs));
  queue = run.catch(() => undefined);
  return run;
}

/** Ends the layout thread if one runs (scripts and tests that want to exit promptly). */
export async function stopLayoutThread(): Promise<void> {
  const thread = current;
  if (!thread) return;
  current = undefined;
  await thread.worker.terminate();
}
