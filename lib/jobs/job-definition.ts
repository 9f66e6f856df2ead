// What an area hands the worker for each of its queues: how to run a job, how
// long to keep retrying it, and what to record when it gives up. Areas import
// these types; the registry of definitions is assembled apart, in
// lib/worker/job-registry.ts, so lib/jobs never imports an area.
import type { z } from "zod";
import type { Logger } from "pino";
import type { QueueData, QueueName } from "@/lib/jobs/queues";

export interface JobContext {
  jobId: string;
  /** 1 for the first run; it keeps counting across retries and an admin's retry. */
  attempt: number;
  /** Aborted when this worker loses the job (stopping, or its time ran out): stop and let it go. */
  signal: AbortSignal;
  log: Logger;
}

export interface JobDefinition<T> {
  schema: z.ZodType<T>;
  run(data: T, context: JobContext): Promise<void>;
  /**
   * Called once when the job gives up (permanent error or retry budget spent), so the area can record
   * a failed state a person sees. Keep it idempotent: a worker that dies inside it gives up again later.
   */
  onGiveUp?(data: T, error: Error): Promise<void>;
  /** Give up after this long since the first attempt (bounded retry time). */
  retryForSeconds: number;
  /** Jobs at once per process for this queue. */
  concurrency?: number;
}

export type JobDefinitions = { [Q in QueueName]: JobDefinition<QueueData<Q>> };
