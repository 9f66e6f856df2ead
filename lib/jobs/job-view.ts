// What the Jobs page and GET /api/v1/jobs show of a pg-boss job.
import { lastErrorMessage, producerData } from "@/lib/jobs/job-table";

export type JobStatus = "running" | "retrying" | "failed";

export interface JobView {
  id: string;
  queue: string;
  status: JobStatus;
  /** Attempts started so far, across retries and an admin's retries. */
  attempts: number;
  lastError: string | null;
  /** Why a failed job gave up, in words; null when pg-boss failed it (worker stopped or died too often). */
  gaveUp: string | null;
  /** What the job is about (a request id), if its queue is keyed. */
  key: string | null;
  data: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** When a retrying job runs next. */
  nextAttemptAt: string | null;
}

export interface JobRow {
  id: string;
  name: string;
  state: string;
  data: unknown;
  output: unknown;
  retry_count: number;
  singleton_key: string | null;
  created_on: Date;
  started_on: Date | null;
  completed_on: Date | null;
  start_after: Date;
}

const statuses: Record<string, JobStatus> = { active: "running", retry: "retrying", failed: "failed" };

export function toJobView(row: JobRow): JobView {
  const output = row.output as { summary?: unknown } | null;
  return {
    id: row.id,
    queue: row.name,
    status: statuses[row.state] ?? "failed",
    attempts: row.retry_count + 1,
    lastError: lastErrorMessage(row.output),
    gaveUp: row.state === "failed" && typeof output?.summary === "string" ? output.summary : null,
    key: row.singleton_key,
    data: producerData(row.data),
    createdAt: row.created_on.toISOString(),
    startedAt: row.started_on?.toISOString() ?? null,
    finishedAt: row.completed_on?.toISOString() ?? null,
    nextAttemptAt: row.state === "retry" ? row.start_after.toISOString() : null,
  };
}
