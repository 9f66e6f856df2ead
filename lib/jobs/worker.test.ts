// Integration: the worker against the test run's PostgreSQL, in a pg-boss
// schema of its own, with delays shortened through options.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import type { UserActor } from "@/lib/auth/permissions";
import { getBoss } from "@/lib/jobs/boss";
import { enqueue } from "@/lib/jobs/enqueue";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";
import type { JobContext, JobDefinition } from "@/lib/jobs/job-definition";
import { listJobs } from "@/lib/jobs/list-jobs";
import { queueDataSchemas } from "@/lib/jobs/queues";
import { retryJob } from "@/lib/jobs/retry-job";
import { startWorker, type RunningWorker } from "@/lib/jobs/worker";
import { dropSchema, fastTiming, jobState, testSchema, waitFor } from "@/lib/jobs/testing/job-test-support";

const admin: UserActor = { kind: "user", userId: randomUUID(), name: "Ada Admin", email: "ada@example.com", isAdmin: true, teams: [] };
const viewer: UserActor = { kind: "user", userId: randomUUID(), name: "Vic Viewer", email: "vic@example.com", isAdmin: false, teams: [] };

type Data = { namespaceId: string };
type Behaviour = (data: Data, context: JobContext) => Promise<void>;

/** What each test wants its job to do, and what the worker saw, by namespaceId. */
const behaviours = new Map<string, Behaviour>();
const attempts = new Map<string, number[]>();
const gaveUp = new Map<string, Error[]>();

function definition(retryForSeconds: number): JobDefinition<Data> {
  return {
    schema: queueDataSchemas["namespace.provision"],
    retryForSeconds,
    concurrency: 4,
    async run(data, context) {
      attempts.set(data.namespaceId, [...(attempts.get(data.namespaceId) ?? []), context.attempt]);
      await behaviours.get(data.namespaceId)?.(data, context);
    },
    async onGiveUp(data, error) {
      gaveUp.set(data.namespaceId, [...(gaveUp.get(data.namespaceId) ?? []), error]);
    },
  };
}

const schema = testSchema();
let worker: RunningWorker;

beforeAll(async () => {
  worker = await startWorker({
    schema,
    timing: fastTiming,
    queues: ["namespace.provision", "namespace.decommission"],
    // provision: room for several retries; decommission: a retry time of 4 s, to spend it.
    definitions: { "namespace.provision": definition(60), "namespace.decommission": definition(4) },
  });
});

afterAll(async () => {
  await worker?.stop();
  await dropSchema(schema);
});

async function submit(queue: "namespace.provision" | "namespace.decommission", behaviour: Behaviour): Promise<{ id: string; namespaceId: string }> {
  const namespaceId = randomUUID();
  behaviours.set(namespaceId, behaviour);
  const id = await enqueue(queue, { namespaceId }, { singletonKey: namespaceId });
  expect(id).toEqual(expect.any(String));
  return { id: id!, namespaceId };
}

const completed = (id: string) => async () => (await jobState(schema, id)) === "completed";
const failed = (id: string) => async () => (await jobState(schema, id)) === "failed";

describe("background jobs", () => {
  it("retries a job that fails twice with RetryableJobError, then completes it", async () => {
    const { id, namespaceId } = await submit("namespace.provision", async (_data, { attempt }) => {
      if (attempt < 3) throw new RetryableJobError(`503 from the cluster (attempt ${attempt})`);
    });
    await waitFor("the job to complete", completed(id));
    expect(attempts.get(namespaceId)).toEqual([1, 2, 3]);
    expect(gaveUp.has(namespaceId)).toBe(false);
  });

  it("waits at least Retry-After before the next attempt", async () => {
    let failedAt = 0;
    const { id } = await submit("namespace.provision", async (_data, { attempt }) => {
      if (attempt === 1) {
        failedAt = Date.now();
        throw new RetryableJobError("429 Too Many Requests", { retryAfterSeconds: 3 });
      }
    });
    const retrying = await waitFor("the job to wait for its retry", async () =>
      (await listJobs({ actor: admin, filter: { status: "retrying" } })).find((job) => job.id === id),
    );
    expect(retrying.lastError).toBe("429 Too Many Requests");
    // Both times are this machine's: the database's clock and the test's.
    expect(Date.parse(retrying.nextAttemptAt!) - failedAt).toBeGreaterThanOrEqual(3000 - 250);
    await waitFor("the job to complete", completed(id));
  });

  it("fails a PermanentJobError at once and calls onGiveUp", async () => {
    const { id, namespaceId } = await submit("namespace.provision", async () => {
      throw new PermanentJobError("422 Unprocessable: spec.hard.cpu is invalid");
    });
    await waitFor("the job to fail", failed(id));
    expect(attempts.get(namespaceId)).toEqual([1]);
    expect(gaveUp.get(namespaceId)?.map((error) => error.message)).toEqual(["422 Unprocessable: spec.hard.cpu is invalid"]);
    const [job] = (await listJobs({ actor: admin, filter: { status: "failed" } })).filter((view) => view.id === id);
    expect(job).toMatchObject({
      queue: "namespace.provision",
      status: "failed",
      attempts: 1,
      lastError: "422 Unprocessable: spec.hard.cpu is invalid",
      key: namespaceId,
      data: { namespaceId },
    });
    expect(job?.gaveUp).toMatch(/permanently/);
  });

  it("gives up when the retry time is spent, calls onGiveUp once, and leaves a failed job to see and retry", async () => {
    let fixed = false;
    const { id, namespaceId } = await submit("namespace.decommission", async () => {
      if (!fixed) throw new RetryableJobError("503 Service Unavailable");
    });
    await waitFor("the job to give up", failed(id));
    const tries = attempts.get(namespaceId)!;
    expect(tries.length).toBeGreaterThanOrEqual(2);
    expect(gaveUp.get(namespaceId)?.map((error) => error.message)).toEqual(["503 Service Unavailable"]);

    const [job] = (await listJobs({ actor: admin, filter: { queue: "namespace.decommission", status: "failed" } })).filter((view) => view.id === id);
    expect(job).toMatchObject({ status: "failed", lastError: "503 Service Unavailable" });
    // The attempt that found the time spent may have given up without running (a slow machine).
    expect(job!.attempts).toBeGreaterThanOrEqual(tries.length);
    expect(job?.gaveUp).toMatch(/retry time is spent/);
    await expect(listJobs({ actor: viewer })).rejects.toMatchObject({ code: "forbidden" });

    // An admin retries it once the cause is fixed: it runs again, with a fresh retry time.
    await expect(retryJob({ actor: viewer, id })).rejects.toMatchObject({ code: "forbidden" });
    fixed = true;
    const retried = await retryJob({ actor: admin, id });
    expect(retried.status).toBe("retrying");
    await waitFor("the retried job to complete", completed(id));
    expect(attempts.get(namespaceId)).toEqual([...tries, job!.attempts + 1]);
    expect(gaveUp.get(namespaceId)).toHaveLength(1);

    const audit = await getPrisma().auditEvent.findMany({ where: { action: "job.retry", resourceId: id }, orderBy: { id: "asc" } });
    expect(audit.map((event) => event.outcome)).toEqual(["denied", "success"]);
    expect(audit[1]).toMatchObject({
      actorName: "Ada Admin",
      before: { queue: "namespace.decommission", status: "failed", lastError: "503 Service Unavailable" },
    });
  });

  it("retries only failed jobs, and says why otherwise", async () => {
    const { id } = await submit("namespace.provision", async () => {});
    await waitFor("the job to complete", completed(id));
    await expect(retryJob({ actor: admin, id })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("already done") });
    await expect(retryJob({ actor: admin, id: randomUUID() })).rejects.toMatchObject({ code: "not_found" });
    await expect(retryJob({ actor: admin, id: "42" })).rejects.toMatchObject({ code: "invalid_input" });
  });

  it("fails a job whose data does not match its queue's schema at once, without running it", async () => {
    // Past enqueue's own check, as a producer on an older schema would be.
    const id = await (await getBoss()).send("namespace.provision", { namespace: "payments-dev" }, { singletonKey: randomUUID() });
    await waitFor("the job to fail", failed(id!));
    const [job] = (await listJobs({ actor: admin, filter: { status: "failed" } })).filter((view) => view.id === id);
    expect(job?.lastError).toMatch(/invalid job data at namespaceId/);
    expect(job?.attempts).toBe(1);
  });

  it("refuses to enqueue invalid data, or keyed work without a key, and runs one job per key at a time", async () => {
    await expect(enqueue("namespace.provision", { namespaceId: "" })).rejects.toThrow(/namespace.provision job data is invalid at namespaceId/);
    await expect(enqueue("namespace.provision", { namespaceId: "ns-1" })).rejects.toThrow(/need a singletonKey/);
    const namespaceId = randomUUID();
    let release!: () => void;
    behaviours.set(namespaceId, () => new Promise<void>((done) => (release = done)));
    const first = await enqueue("namespace.provision", { namespaceId }, { singletonKey: namespaceId });
    await waitFor("the job to start", async () => (await jobState(schema, first!)) === "active");
    // While one runs for a key, another for the same key is refused: enqueue says so with null.
    expect(await enqueue("namespace.provision", { namespaceId }, { singletonKey: namespaceId })).toBeNull();
    expect(await enqueue("namespace.provision", { namespaceId: randomUUID() }, { singletonKey: randomUUID(), startAfterSeconds: 60 })).toEqual(
      expect.any(String),
    );
    release();
    await waitFor("the first job to complete", completed(first!));
  });
});
