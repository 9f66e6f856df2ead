// The full elkjs layout off the event loop (decision 0045): one long-lived
// worker_threads Worker, started on the first full layout and reused. elkjs
// runs synchronously for seconds at 2,000 nodes; on the process that runs
// jobs that would stall the health poll, cost sync and rollouts meanwhile.
//
// Layouts run one at a time (lib/threads/serial-thread.ts), so a time bound
// counts only its own layout. A layout elkjs rejects, a thread that dies, and
// a layout past its time bound reject with a MapLayoutError; the thread is
// then dropped (terminated if still running) and the next layout starts a new
// one. The thread is unref'd while idle, so it never keeps a process alive.
import type { Position } from "@/lib/appmap/types";
import { SerialThread, threadScript, type ThreadFailure } from "@/lib/threads/serial-thread";

/** An ELK JSON graph: layout options, sized children, edges by id. */
export interface ElkInput {
  id: string;
  layoutOptions: Record<string, string>;
  children: { id: string; width: number; height: number }[];
  edges: { id: string; sources: string[]; targets: string[] }[];
}

export type MapLayoutFailure = ThreadFailure;

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

const layoutThread = new SerialThread<ElkInput, Record<string, Position>>({
  name: "wharf-map-layout",
  script: () => threadScript(import.meta.url, "lib/appmap/layout-thread.mjs"),
  failure: (reason, detail, graph, timeoutMs) =>
    new MapLayoutError(
      reason,
      reason === "rejected"
        ? `elkjs could not lay out the map: ${detail}`
        : reason === "timeout"
          ? `The map's layout (${graph.children.length} nodes, ${graph.edges.length} edges) took longer than ` +
            `${(timeoutMs / 1000).toLocaleString("en", { maximumFractionDigits: 1 })} s and was abandoned.`
          : `The map's layout thread stopped (${detail}) before the layout was done.`,
    ),
});

/** Lays an ELK graph out in the layout thread: node id → top-left position, rounded. */
export function layoutInThread(graph: ElkInput, options: { timeoutMs?: number } = {}): Promise<Record<string, Position>> {
  return layoutThread.run(graph, options.timeoutMs ?? defaultLayoutTimeoutMs);
}

/** Ends the layout thread if one runs (scripts and tests that want to exit promptly). */
export function stopLayoutThread(): Promise<void> {
  return layoutThread.stop();
}
