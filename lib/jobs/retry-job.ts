// An admin runs a failed job again. It gets a fresh retry window (its full
// retryForSeconds), keeps its attempt count, and the retry is audited in the
// same transaction that moves the job back to the queue.
import { z } from "zod";
import { fromPrisma } from "pg-boss";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { parseInput } from "@/lib/validation";
import { getBoss, jobsSchema } from "@/lib/jobs/boss";
import { retryWindowKey } from "@/lib/jobs/job-table";
import { toJobView, type JobRow, type JobView } from "@/lib/jobs/job-view";

const retryInput = z.object({ id: z.uuid({ error: "A job id is a UUID, as the Jobs page and GET /api/v1/jobs show it." }) });

const describeState: Record<string, string> = {
  created: "waiting to run",
  retry: "waiting to retry",
  active: "running",
  completed: "already done",
  cancelled: "cancelled",
};

function isUniqueViolation(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}` : "";
  return /23505|unique constraint|duplicate key/i.test(text);
}

export async function retryJob({ actor, id }: { actor: Actor; id: string }): Promise<JobView> {
  if (!can(actor, "job:retry")) {
    await recordAuditEvent(getPrisma(), { actor, action: "job.retry", resourceType: "job", resourceId: id, outcome: "denied" });
    throw forbidden("job:retry");
  }
  const input = parseInput(retryInput, { id });
  const schema = await jobsSchema();
  const boss = await getBoss();
  const select =
    "SELECT id::text, name, state::text, data, output, retry_count, singleton_key, " +
    `created_on, started_on, completed_on, start_after FROM ${schema}.job WHERE id = $1::uuid`;
  try {
    return await getPrisma().$transaction(async (tx) => {
      const [job] = await tx.$queryRawUnsafe<JobRow[]>(`${select} FOR UPDATE`, input.id);
      if (!job)
        throw new AppError("not_found", "There is no job with this id: pg-boss deletes finished jobs after their retention period. Open the Jobs page again.");
      if (job.state !== "failed") {
        throw new AppError("conflict", `This job is ${describeState[job.state] ?? job.state}; only a failed job can be retried.`);
      }
      const before = toJobView(job);
      await tx.$executeRawUnsafe(`UPDATE ${schema}.job SET data = data - '${retryWindowKey}' WHERE id = $1::uuid`, input.id);
      await boss.retry(job.name, input.id, { db: fromPrisma(tx) });
      const [after] = await tx.$queryRawUnsafe<JobRow[]>(select, input.id);
      await recordAuditEvent(tx, {
        actor,
        action: "job.retry",
        resourceType: "job",
        resourceId: input.id,
        outcome: "success",
        before: { queue: before.queue, status: before.status, attempts: before.attempts, lastError: before.lastError },
        after: { status: "retrying" },
      });
      return toJobView(after!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", "Another job for the same thing is already queued or running, so this one was not retried. Wait for that one to finish.");
    }
    throw error;
  }
}
