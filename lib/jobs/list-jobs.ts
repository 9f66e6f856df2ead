// Recent jobs a person may need to act on: running, waiting to retry, and
// failed (pg-boss keeps failed jobs for its retention period), newest first
// per queue.
import { z } from "zod";
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { parseInput } from "@/lib/validation";
import { jobsSchema } from "@/lib/jobs/boss";
import { queueNames } from "@/lib/jobs/queues";
import { toJobView, type JobRow, type JobView } from "@/lib/jobs/job-view";

export const jobFilter = z.object({
  queue: z.enum(queueNames, { error: `Pick a queue: ${queueNames.join(", ")}.` }).optional(),
  status: z.enum(["running", "retrying", "failed"], { error: "Pick a status: running, retrying or failed." }).optional(),
  /** Most jobs per queue and status. */
  limit: z.coerce.number({ error: "Give the limit as a number." }).int().min(1, "Ask for at least 1 job.").max(200, "Ask for at most 200 jobs.").default(50),
});

export type JobFilter = z.input<typeof jobFilter>;

const states = { running: "active", retrying: "retry", failed: "failed" } as const;

export async function listJobs({ actor, filter = {} }: { actor: Actor; filter?: JobFilter }): Promise<JobView[]> {
  if (!can(actor, "job:read")) throw forbidden("job:read");
  const f = parseInput(jobFilter, filter);
  const schema = await jobsSchema();
  const prisma = getPrisma();
  // Before any process has started pg-boss there is no job table, and no jobs.
  const [table] = await prisma.$queryRawUnsafe<{ exists: boolean }[]>(`SELECT to_regclass($1) IS NOT NULL AS "exists"`, `${schema}.job`);
  if (!table?.exists) return [];
  const wanted = f.status ? [states[f.status]] : Object.values(states);
  const rows = await prisma.$queryRawUnsafe<JobRow[]>(
    `SELECT id::text, name, state::text, data, output, retry_count, singleton_key, created_on, started_on, completed_on, start_after
     FROM (
       SELECT *, row_number() OVER (PARTITION BY name, state ORDER BY COALESCE(completed_on, started_on, created_on) DESC) AS n
       FROM ${schema}.job
       WHERE state::text = ANY($1::text[]) AND name = ANY($2::text[])
     ) recent
     WHERE n <= $3
     ORDER BY name, COALESCE(completed_on, started_on, created_on) DESC`,
    wanted,
    f.queue ? [f.queue] : [...queueNames],
    f.limit,
  );
  return rows.map(toJobView);
}
