// Integration: with a cycle shorter than pg-boss cron's minute, health.poll
// jobs chain themselves through the real worker, one per time slot, and
// cycles never overlap.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";
import { jobDefinitions } from "@/lib/worker/job-registry";
import { dropSchema, fastTiming, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";
import { stopRolloutInformers } from "@/lib/deployments/rollout-informers";
import { scheduleNextCycle } from "@/lib/telemetry/health-poll-job";

const schema = testSchema();
let worker: RunningWorker;

interface JobRow {
  singleton_key: string | null;
  state: string;
  started_on: Date | null;
  completed_on: Date | null;
}

async function cycles(): Promise<JobRow[]> {
  return getPrisma().$queryRawUnsafe<JobRow[]>(
    `SELECT singleton_key, state::text AS state, started_on, completed_on FROM ${schema}.job WHERE name = 'health.poll' ORDER BY started_on NULLS LAST`,
  );
}

beforeAll(async () => {
  // Read once by getConfig(), on the first job in this file's module context.
  process.env.WHARF_HEALTH_POLL_SECONDS = "5";
  worker = await startWorker({ definitions: jobDefinitions, schema, timing: fastTiming, queues: ["health.poll"] });
});

afterAll(async () => {
  await worker?.stop();
  stopRolloutInformers();
  await dropSchema(schema);
  delete process.env.WHARF_HEALTH_POLL_SECONDS;
});

describe("health.poll every 5 s", () => {
  it("each cycle queues the next slot's job; they run one after another", async () => {
    expect(await scheduleNextCycle(5)).toEqual(expect.any(String));
    // A second ask for the same slot is refused: one job per slot, however many workers ask.
    expect(await scheduleNextCycle(5)).toBeNull();
    const done = await waitFor(
      "three completed cycles",
      async () => {
        const rows = await cycles();
        const completed = rows.filter((row) => row.state === "completed");
        return completed.length >= 3 ? completed : null;
      },
      40_000,
    );
    const keys = done.map((row) => row.singleton_key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^cycle-5-\d+$/);
    const slots = keys.map((key) => Number(key!.split("-")[2]));
    for (let i = 1; i < slots.length; i++) expect(slots[i]).toBeGreaterThan(slots[i - 1]!);
    for (let i = 1; i < done.length; i++) expect(done[i]!.started_on!.getTime()).toBeGreaterThanOrEqual(done[i - 1]!.completed_on!.getTime());
    // The chain goes on: the next slot is queued.
    expect((await cycles()).some((row) => row.state === "created" || row.state === "active")).toBe(true);
  }, 60_000);
});
