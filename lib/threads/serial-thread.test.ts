// One thread, tasks one at a time: a failed task, a dead thread and a task past its bound each fail with the caller's
// error and the next task gets a new thread; an idle thread ends after `idleMs`.
import { afterEach, describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { SerialThread, threadScript, type ThreadFailure } from "./serial-thread";

interface Input {
  echo?: string;
  wait?: number;
  fail?: string;
  exit?: number;
}
interface Output {
  threadId: number;
  echo: string | null;
}

class TestFailure extends Error {
  constructor(
    readonly reason: ThreadFailure,
    detail: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}

const threads: SerialThread<Input, Output>[] = [];
function testThread(idleMs?: number): SerialThread<Input, Output> {
  const thread = new SerialThread<Input, Output>({
    name: "wharf-test-thread",
    script: () => threadScript(import.meta.url, "lib/threads/__fixtures__/test-thread.mjs"),
    idleMs,
    failure: (reason, detail) => new TestFailure(reason, detail),
  });
  threads.push(thread);
  return thread;
}

afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.stop()));
});

describe("SerialThread", () => {
  it("finds a script from the project's root when the module is not a file (bundled by Next)", () => {
    const fromRoot = threadScript("http://localhost/_next/chunk.js", "lib/threads/__fixtures__/test-thread.mjs");
    expect(fromRoot).toBe(fileURLToPath(new URL("./__fixtures__/test-thread.mjs", import.meta.url)));
  });

  it("runs tasks in order on one reused thread", async () => {
    const thread = testThread();
    const [slow, fast] = await Promise.all([thread.run({ echo: "first", wait: 200 }, 10_000), thread.run({ echo: "second" }, 10_000)]);
    expect([slow.echo, fast.echo]).toEqual(["first", "second"]);
    expect(fast.threadId).toBe(slow.threadId);
  });

  it("a task the thread reports as failed rejects with the caller's error; the next task runs on a new thread", async () => {
    const thread = testThread();
    const first = await thread.run({ echo: "a" }, 10_000);
    const failure = await thread.run({ fail: "no such shape" }, 10_000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TestFailure);
    expect(failure).toMatchObject({ reason: "rejected", message: "rejected: no such shape" });
    const next = await thread.run({ echo: "b" }, 10_000);
    expect(next.threadId).not.toBe(first.threadId);
  });

  it("a thread that exits mid-task fails that task only", async () => {
    const thread = testThread();
    const failure = await thread.run({ exit: 3 }, 10_000).catch((error: unknown) => error);
    expect(failure).toMatchObject({ reason: "thread-stopped", message: "thread-stopped: exit code 3" });
    expect((await thread.run({ echo: "after" }, 10_000)).echo).toBe("after");
  });

  it("a task past its bound is abandoned with its thread; the tasks queued behind it still run", async () => {
    const thread = testThread();
    const stuck = thread.run({ wait: 5_000 }, 100).catch((error: unknown) => error);
    const behind = thread.run({ echo: "behind" }, 10_000);
    expect(await stuck).toMatchObject({ reason: "timeout" });
    expect((await behind).echo).toBe("behind");
  });

  it("ends an idle thread after idleMs and starts a new one for the next task", async () => {
    const thread = testThread(150);
    const first = await thread.run({ echo: "a" }, 10_000);
    expect(thread.running).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(thread.running).toBe(false);
    const next = await thread.run({ echo: "b" }, 10_000);
    expect(next.threadId).not.toBe(first.threadId);
  });

  it("keeps a thread that is used more often than idleMs", async () => {
    const thread = testThread(400);
    const first = await thread.run({ echo: "a" }, 10_000);
    for (let round = 0; round < 4; round++) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await thread.run({ echo: "again" }, 10_000)).threadId).toBe(first.threadId);
    }
  });
});
