// Integration: `npm run worker` as separate processes. Three start at once on
// an empty schema (pg-boss installs itself once); no cluster was checked
// within the hour, so the hourly cluster discovery is due and one of them
// sends it at start (lib/worker/catch-up.ts) and runs it against the sandbox
// as the scheduler; all stop cleanly on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getBoss, startBoss, stopBoss } from "@/lib/jobs/boss";
import { scopeOf } from "@/lib/costs/sync-costs";
import { loadConfig } from "@/lib/config";
import { catchUpSlotSeconds } from "@/lib/worker/catch-up";
import { dropSchema, fastTiming, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";

const schema = testSchema();
const workers: { process: ChildProcess; output: () => string; exited: Promise<number | null> }[] = [];

// The sandbox's subscriptions, synced just now for this test (so no cost sync is due at start), and what they were before.
const costScopes = loadConfig({ SANDBOX_ENDPOINTS_FILE: process.env.SANDBOX_ENDPOINTS_FILE }).azure.subscriptionIds.map(scopeOf);
let costStatesBefore: Awaited<ReturnType<ReturnType<typeof getPrisma>["costSyncState"]["findMany"]>> = [];

afterAll(async () => {
  for (const worker of workers) if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill("SIGKILL");
  await stopBoss();
  await dropSchema(schema);
  await getPrisma().costSyncState.deleteMany({ where: { scope: { in: costScopes } } });
  if (costStatesBefore.length > 0) await getPrisma().costSyncState.createMany({ data: costStatesBefore });
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

/** The log lines of jobs a worker found due at start (lib/worker/catch-up.ts), as queue, reason and message. */
function startLines(output: string): { queue: string; reason: string; msg: string }[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{") && line.includes("scheduled job due at start"))
    .map((line) => {
      const { queue, reason, msg } = JSON.parse(line) as { queue: string; reason: string; msg: string };
      return { queue, reason, msg };
    });
}

describe("npm run worker", () => {
  it("starts three at once on an empty schema, catches up the due cluster discovery once as the scheduler, and exits 0 on SIGTERM", async () => {
    // Every cluster last checked two hours ago: a discovery is due. Every subscription's cost synced now: no sync is.
    await getPrisma().cluster.updateMany({ data: { lastCheckedAt: new Date(Date.now() - 2 * 3_600_000) } });
    costStatesBefore = await getPrisma().costSyncState.findMany({ where: { scope: { in: costScopes } } });
    for (const scope of costScopes) {
      await getPrisma().costSyncState.upsert({
        where: { scope },
        create: { scope, lastSyncedAt: new Date(), lastMonths: [] },
        update: { lastSyncedAt: new Date() },
      });
    }
    const since = new Date();
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
    // Nobody enqueued it: the workers did, at start, once between them.
    const discoveries = async () =>
      getPrisma().$queryRawUnsafe<{ id: string; state: string }[]>(`SELECT id, state::text AS state FROM ${schema}.job WHERE name = 'cluster.discover'`);
    await waitFor("the caught-up discovery to complete", async () => (await discoveries()).some((job) => job.state === "completed"), 40_000);
    // If the test spans the top of an hour, the hourly schedule itself may send one more (a CI run that crossed 09:00
    // did); if it spans the start of a catch-up slot (ten minutes), a worker that read the state before the first
    // discovery stored it may send one more in the new slot.
    const crossed = (ms: number) => Math.floor(since.getTime() / ms) !== Math.floor(Date.now() / ms);
    if (!crossed(catchUpSlotSeconds * 1000)) expect(await discoveries()).toHaveLength(1);
    // What each worker found due at start, from its log: the discovery (no cluster stored yet when this file runs
    // alone), queued by one of them, already queued for those that asked while it waited or ran; no cost sync.
    const caughtUp = workers.flatMap((worker) => startLines(worker.output()));
    expect(new Set(caughtUp.map((line) => line.queue))).toEqual(new Set(["cluster.discover"]));
    for (const line of caughtUp) expect(["no cluster checked in the last hour", "no cluster discovered yet"]).toContain(line.reason);
    if (!crossed(catchUpSlotSeconds * 1000)) expect(caughtUp.filter((line) => line.msg === "scheduled job due at start: queued")).toHaveLength(1);

    for (const worker of workers) worker.process.kill("SIGTERM");
    expect(await Promise.all(workers.map((worker) => worker.exited))).toEqual([0, 0, 0]);

    const audit = await getPrisma().auditEvent.findMany({ where: { action: "cluster.refresh", at: { gte: since } } });
    // The job ran once, not once per worker (at most twice across a slot's start, as above).
    if (crossed(catchUpSlotSeconds * 1000)) expect([1, 2]).toContain(audit.length);
    else expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: "Wharf scheduler", actorId: null, outcome: "success" });
    expect(await getPrisma().cluster.count()).toBeGreaterThan(0);
  }, 200_000);
});
