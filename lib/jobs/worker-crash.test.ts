// Integration: a worker process SIGKILLed in the middle of a job. Its
// heartbeat stops, pg-boss takes the job back, and another worker runs it.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startBoss } from "@/lib/jobs/boss";
import { enqueue } from "@/lib/jobs/enqueue";
import { queueDataSchemas } from "@/lib/jobs/queues";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";
import { dropSchema, fastTiming, jobState, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";

const schema = testSchema();
let child: ChildProcess | undefined;
let worker: RunningWorker | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await worker?.stop();
  await dropSchema(schema);
});

function startHangingWorker(): { process: ChildProcess; output: () => string } {
  // node with tsx's loader, not the tsx wrapper: the wrapper runs the script in a second process,
  // which a SIGKILL to the wrapper would leave running.
  const spawned = spawn(process.execPath, ["--import", "tsx", join("lib", "jobs", "testing", "hanging-worker.ts")], {
    env: { ...process.env, JOBS_TEST_SCHEMA: schema, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  spawned.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  spawned.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { process: spawned, output: () => output };
}

describe("a worker killed mid-job", () => {
  it("has its job run again by another worker", async () => {
    const hanging = startHangingWorker();
    child = hanging.process;
    await waitFor(
      "the child worker to start",
      async () => hanging.output().includes("ready") || (child!.exitCode !== null && Promise.reject(new Error(hanging.output()))),
    );

    // This process's pg-boss, in the test's schema, with no worker yet.
    await startBoss({ schema, timing: fastTiming });
    const id = await enqueue("namespace.reconcile", { clusterId: "aks-dev-weu" });
    await waitFor("the child to take the job", async () => hanging.output().includes(`started ${id} attempt 1`));
    child.kill("SIGKILL");
    await waitFor("the child to die", async () => child!.signalCode === "SIGKILL");
    expect(await jobState(schema, id!)).toBe("active");

    const attempts: number[] = [];
    worker = await startWorker({
      schema,
      timing: fastTiming,
      queues: ["namespace.reconcile"],
      definitions: {
        "namespace.reconcile": {
          schema: queueDataSchemas["namespace.reconcile"],
          retryForSeconds: 300,
          async run(data, { attempt }) {
            expect(data).toEqual({ clusterId: "aks-dev-weu" });
            attempts.push(attempt);
          },
        },
      },
    });
    // The heartbeat (10 s, pg-boss's minimum) lapses, the monitor releases the job, and this worker runs it.
    await waitFor("the job to be run again and complete", async () => (await jobState(schema, id!)) === "completed", 45_000);
    expect(attempts).toEqual([2]);
  }, 90_000);
});
