// Integration: `npm run worker` as its own process runs the hourly cluster
// discovery job against the sandbox with the scheduler's system actor, and
// stops cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getBoss, startBoss, stopBoss } from "@/lib/jobs/boss";
import { enqueue } from "@/lib/jobs/enqueue";
import { dropSchema, fastTiming, jobState, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";

const schema = testSchema();

afterAll(async () => {
  await stopBoss();
  await dropSchema(schema);
});

describe("npm run worker", () => {
  it("runs cluster discovery as the scheduler, keeps the hourly schedule, and exits 0 on SIGTERM", async () => {
    await startBoss({ schema, timing: fastTiming });
    expect((await (await getBoss()).getSchedules("cluster.discover")).map((schedule) => schedule.cron)).toEqual(["0 * * * *"]);
    const since = new Date();
    const id = await enqueue("cluster.discover", {});

    const worker = spawn(process.execPath, ["--import", "tsx", join("scripts", "worker.ts")], {
      env: { ...process.env, WHARF_JOBS_SCHEMA: schema },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    worker.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => worker.once("exit", (code) => done(code)));
    try {
      await waitFor("the discovery job to complete", async () => (await jobState(schema, id!)) === "completed", 40_000);
    } catch (error) {
      throw new Error(`${(error as Error).message}; worker output:\n${output}`);
    } finally {
      worker.kill("SIGTERM");
    }
    expect(await exited).toBe(0);

    const audit = await getPrisma().auditEvent.findFirst({ where: { action: "cluster.refresh", at: { gte: since } }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorName: "Wharf scheduler", actorId: null, outcome: "success" });
    expect(await getPrisma().cluster.count()).toBeGreaterThan(0);
  }, 60_000);
});
