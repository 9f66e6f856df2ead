// The application map's full elkjs layout, run in a worker_threads Worker
// (decision 0045) so a 2,000-node layout does not block the event loop of the
// process that runs jobs. Plain JavaScript on purpose: it runs as is under
// tsx (the worker process), vitest and `next start` alike, with no TypeScript
// loader in the thread. `layout-thread-client.ts` starts it and talks to it.
//
// Protocol (lib/threads/serial-thread.ts): { id, input } in, the input an ELK
// JSON graph, options included; { id, output } out, the output node id →
// position, or { id, error }. A new ELK per layout, as before.
import { parentPort } from "node:worker_threads";
import ELK from "elkjs/lib/elk.bundled.js";

parentPort.on("message", async ({ id, input: graph }) => {
  try {
    const laidOut = await new ELK().layout(graph);
    const positions = {};
    for (const child of laidOut.children ?? []) positions[child.id] = { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) };
    parentPort.postMessage({ id, output: positions });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
