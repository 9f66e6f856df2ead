// Integration: a stopping worker finishes what ends within its stop timeout
// and hands back what does not, so another worker runs it.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, describe, expect, it } from "vitest";
import { enqueue } from "@/lib/jobs/enqueue";
import { listJobs } from "@/lib/jobs/list-jobs";
import { queueDataSchemas } from "@/lib/jobs/queues";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";
import { stopBoss } from "@/lib/jobs/boss";
import { dropSchema, fastTiming, jobState, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";

const schema = testSchema();
const system = { kind: "system" as const, name: "Jobs test" };

afterAll(async () => {
  await stopBoss();
  await dropSchema(schema);
});

function worker(run: (clusterId: string, attempt: number) => Promise<void>): Promise<RunningWorker> {
  return startWorker({
    schema,
    timing: { ...fastTiming, stopTimeoutSeconds: 2, rescueDelaySeconds: 1 },
    queues: ["namespace.reconcile"],
    definitions: {
      "namespace.reconcile": {
        schema: queueDataSchemas["namespace.reconcile"],
        retryForSeconds: 300,
        concurrency: 2,
        run: (data, { attempt }) => run(data.clusterId ?? "", attempt),
      },
    },
  });
}

describe("stopping a worker", () => {
  it("finishes a job that ends within the stop timeout and releases one that does not", async () => {
    const started = new Set<string>();
    const first = await worker(async (clusterId) => {
      started.add(clusterId);
      // "quick" ends well inside the 2 s stop timeout; "stuck" would run for a minute.
      await sleep(clusterId === "quick" ? 300 : 60_000);
    });
    const quick = await enqueue("namespace.reconcile", { clusterId: "quick" }, { singletonKey: "quick" });
    const stuck = await enqueue("namespace.reconcile", { clusterId: "stuck" }, { singletonKey: "stuck" });
    await waitFor("both jobs to start", async () => started.has("quick") && started.has("stuck"));
    await first.stop();

    expect(await jobState(schema, quick!)).toBe("completed");
    const released = (await listJobs({ actor: system, filter: { queue: "namespace.reconcile" } })).find((job) => job.id === stuck);
    expect(released).toMatchObject({ status: "retrying", lastError: expect.stringMatching(/shut down/) });

    const attempts: number[] = [];
    const second = await worker(async (_clusterId, attempt) => {
      attempts.push(attempt);
    });
    try {
      await waitFor("the released job to run on the next worker", async () => (await jobState(schema, stuck!)) === "completed");
    } finally {
      await second.stop();
    }
    expect(attempts).toEqual([2]);
  }, 60_000);
});
