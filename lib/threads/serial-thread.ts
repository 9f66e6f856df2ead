// One worker_threads Worker that runs tasks one at a time, for work that would
// hold the event loop for seconds or fill the heap of the process that serves
// pages and runs jobs: the map's elkjs layout (decision 0045) and Microsoft's
// KQL parser (decision 0050).
//
// The thread starts on the first task and is reused. Tasks wait for the one
// before them, so a time bound counts only its own task. A task the thread
// reports as failed, a thread that dies, and a task past its time bound reject
// with the caller's error; the thread is then dropped (terminated if still
// running: a synchronous task cannot be interrupted inside it) and the next
// task starts a new one. The thread is unref'd while idle, so it never keeps a
// process alive, and with `idleMs` it is ended after that long without a task,
// giving its memory back.
//
// Protocol with the thread's script: { id, input } in; { id, output } or
// { id, error } (a message) out.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker, type ResourceLimits } from "node:worker_threads";

export type ThreadFailure = "rejected" | "timeout" | "thread-stopped";

export interface SerialThreadOptions<In> {
  /** The thread's name (shown in heap snapshots and `--cpu-prof` output). */
  name: string;
  /** The path of the thread's plain-JavaScript script; see `threadScript`. */
  script: () => string;
  /** Ends the thread after this long without a task; by default it is kept (unref'd) for the life of the process. */
  idleMs?: number;
  resourceLimits?: ResourceLimits;
  /** The error a task rejects with: `detail` is the thread's message, or what happened to the thread. */
  failure: (reason: ThreadFailure, detail: string, input: In, timeoutMs: number) => Error;
}

/**
 * Where a thread's script is: beside the module that starts it under tsx and vitest (`moduleUrl` is its source
 * file); bundled by Next, that module is a chunk under .next, and the script is found from the project's root
 * (the web process runs there, as lib/boards/app-version.ts assumes).
 */
export function threadScript(moduleUrl: string, projectPath: string): string {
  const file = projectPath.split("/").at(-1)!;
  const beside = moduleUrl.startsWith("file:") ? join(dirname(fileURLToPath(moduleUrl)), file) : null;
  if (beside && existsSync(beside)) return beside;
  return join(/* turbopackIgnore: true */ process.cwd(), ...projectPath.split("/"));
}

interface Pending<In, Out> {
  id: number;
  input: In;
  timeoutMs: number;
  settle: (outcome: { output: Out } | { error: Error }) => void;
}

interface Running<In, Out> {
  worker: Worker;
  /** The task this thread is running, if any; each thread settles only its own. */
  pending?: Pending<In, Out>;
  idleTimer?: NodeJS.Timeout;
}

export class SerialThread<In, Out> {
  private current: Running<In, Out> | undefined;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: SerialThreadOptions<In>) {}

  /** Runs `input` in the thread once the tasks before it are done; at most `timeoutMs` of its own. */
  run(input: In, timeoutMs: number): Promise<Out> {
    const task = this.queue.then(() => this.runOne(input, timeoutMs));
    this.queue = task.catch(() => undefined);
    return task;
  }

  /** Ends the thread if one runs (scripts and tests that want to exit promptly). A task under way fails. */
  async stop(): Promise<void> {
    const thread = this.current;
    if (!thread) return;
    this.current = undefined;
    clearTimeout(thread.idleTimer);
    await thread.worker.terminate();
  }

  /** Whether a thread is running now (for tests of the idle end). */
  get running(): boolean {
    return this.current !== undefined;
  }

  private settle(thread: Running<In, Out>, outcome: { output: Out } | { error: Error }): void {
    const running = thread.pending;
    thread.pending = undefined;
    thread.worker.unref();
    if (this.options.idleMs !== undefined && this.current === thread) {
      clearTimeout(thread.idleTimer);
      thread.idleTimer = setTimeout(() => {
        if (this.current === thread && !thread.pending) this.drop(thread);
      }, this.options.idleMs);
      thread.idleTimer.unref();
    }
    running?.settle(outcome);
  }

  private drop(thread: Running<In, Out>): void {
    if (this.current === thread) this.current = undefined;
    clearTimeout(thread.idleTimer);
    void thread.worker.terminate().catch(() => undefined);
  }

  private start(): Running<In, Out> {
    const { name, script, resourceLimits } = this.options;
    const thread: Running<In, Out> = { worker: new Worker(script(), { name, resourceLimits }) };
    const fail = (reason: ThreadFailure, detail: string) => {
      const pending = thread.pending;
      this.drop(thread);
      if (pending) this.settle(thread, { error: this.options.failure(reason, detail, pending.input, pending.timeoutMs) });
    };
    thread.worker.on("message", (message: { id: number; output?: Out; error?: string }) => {
      if (message.id !== thread.pending?.id) return;
      // The thread's state after a throw is not known to be sound: the next task gets a fresh thread.
      if (message.error !== undefined) fail("rejected", message.error);
      else this.settle(thread, { output: message.output as Out });
    });
    thread.worker.on("error", (error) => fail("thread-stopped", error.message));
    thread.worker.on("exit", (code) => fail("thread-stopped", `exit code ${code}`));
    thread.worker.unref();
    return thread;
  }

  private runOne(input: In, timeoutMs: number): Promise<Out> {
    const thread = (this.current ??= this.start());
    clearTimeout(thread.idleTimer);
    const id = this.nextId++;
    return new Promise<Out>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (thread.pending?.id !== id) return;
        this.drop(thread);
        this.settle(thread, { error: this.options.failure("timeout", "", input, timeoutMs) });
      }, timeoutMs);
      thread.pending = {
        id,
        input,
        timeoutMs,
        settle: (outcome) => {
          clearTimeout(timer);
          if ("error" in outcome) reject(outcome.error);
          else resolve(outcome.output);
        },
      };
      // Held while a task is under way, so a script awaiting it does not exit; unref'd again when it settles.
      thread.worker.ref();
      thread.worker.postMessage({ id, input });
    });
  }
}
