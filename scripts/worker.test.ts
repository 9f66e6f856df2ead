// Integration: `npm run worker` as separate processes. Three start at once on
// an empty schema (pg-boss installs itself once), one of them runs the hourly
// cluster discovery job against the sandbox as the scheduler, and all stop
// cleanly on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getBoss, startBoss, stopBoss } from "@/lib/jobs/boss";
import { enqueue } from "@/lib/jobs/enqueue";
import { dropSchema, fastTiming, jobState, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";

const schema = testSchema();
const workers: { process: ChildProcess; output: () => string; exited: Promise<number | null> }[] = [];

afterAll(async () => {
  for (const worker of workers) if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill("SIGKILL");
  await stopBoss();
  await dropSchema(schema);
});

function startWorkerProcess() {
  const child = spawn(process.execPath, ["--import", "tsx", join("scripts", "worker.ts")], {
    env: { ...process.env, WHARF_JOBS_SCHEMA: schema, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  return { process: child, output: () => output, exited };
}

describe("npm run worker", () => {
  it("starts three at once on an empty schema, runs cluster discovery once as the scheduler, and exits 0 on SIGTERM", async () => {
    workers.push(startWorkerProcess(), startWorkerProcess(), startWorkerProcess());
    // Three processes compile the worker's whole import graph at once; on a loaded 2-core machine that
    // took over 40 s (a CI run with other work beside it). The check is that each starts, not how fast.
    for (const worker of workers) {
      await waitFor(
        "each worker to start",
        async () =>
          worker.output().includes("running background jobs until SIGTERM") || (worker.process.exitCode !== null && Promise.reject(new Error(worker.output()))),
        120_000,
      );
    }

    await startBoss({ schema, timing: fastTiming });
    expect((await (await getBoss()).getSchedules("cluster.discover")).map((schedule) => schedule.cron)).toEqual(["0 * * * *"]);
    const since = new Date();
    const id = await enqueue("cluster.discover", {});
    await waitFor("the discovery job to complete", async () => (await jobState(schema, id!)) === "completed", 40_000);

    for (const worker of workers) worker.process.kill("SIGTERM");
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0, 0]);

    const audit = await getPrisma().auditEvent.findMany({ where: { action: "cluster.refresh", at: { gte: since } } });
    // The job ran once, not once per worker. If the test spanned the top of an hour, the hourly schedule itself may
    // have run one more (a CI run that crossed 09:00 saw two).
    const crossedAnHour = Math.floor(since.getTime() / 3_600_000) !== Math.floor(Date.now() / 3_600_000);
    if (crossedAnHour) expect([1, 2]).toContain(audit.length);
    else expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: "Wharf scheduler", actorId: null, outcome: "success" });
    expect(await getPrisma().cluster.count()).toBeGreaterThan(0);
  }, 200_000);
});
