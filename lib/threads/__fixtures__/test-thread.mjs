// A thread for serial-thread.test.ts: { wait } answers after that many ms of a busy loop (holding the thread as a
// synchronous task does); { fail } reports an error; { exit } ends the thread; anything else is echoed with the thread's id.
import { parentPort, threadId } from "node:worker_threads";

parentPort.on("message", ({ id, input }) => {
  if (input.exit) process.exit(input.exit);
  if (input.fail) return parentPort.postMessage({ id, error: input.fail });
  if (input.wait) {
    const until = Date.now() + input.wait;
    while (Date.now() < until);
  }
  parentPort.postMessage({ id, output: { threadId, echo: input.echo ?? null } });
});
