// One attempt of one job: validate its data, run its handler, and turn the
// outcome into what pg-boss should do next (complete, retry after a delay
// Wharf chose, or fail for good after telling the area through onGiveUp).
import type { Db, JobResult, JobWithMetadata } from "pg-boss";
import type { Logger } from "pino";
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { PermanentJobError } from "@/lib/jobs/errors";
import { decideRetry, describeGiveUp, type Backoff, type GiveUpReason } from "@/lib/jobs/retry-policy";
import { lastErrorMessage, prepareAttempt, producerData, readRetryWindow, setNextRetryDelay, type HeldAttempt } from "@/lib/jobs/job-table";

export interface AttemptEnvironment {
  db: Db;
  schema: string;
  backoff: Backoff;
  /** Delay before a job whose worker died or stopped runs again. */
  rescueDelaySeconds: number;
  log: Logger;
}

/** What Wharf stores as a failed attempt's output; the Jobs page reads it. */
export interface FailureOutput {
  message: string;
  errorName: string;
  attempt: number;
  retryInSeconds?: number;
  retryAfterSeconds?: number;
  gaveUp?: GiveUpReason;
  summary?: string;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

export async function runAttempt(
  queue: string,
  definition: JobDefinition<unknown>,
  job: JobWithMetadata<unknown>,
  env: AttemptEnvironment,
): Promise<JobResult> {
  const attempt = job.retryCount + 1;
  const held: HeldAttempt = { queue, id: job.id, retryCount: job.retryCount };
  const log = env.log.child({ queue, jobId: job.id, attempt });
  const startedLocally = Date.now();

  const storedWindow = readRetryWindow(job.data);
  const window = storedWindow ?? { openedAt: job.startedOn.toISOString(), firstAttempt: attempt };
  await prepareAttempt(env.db, env.schema, held, { newWindow: storedWindow ? null : window, rescueDelaySeconds: env.rescueDelaySeconds });
  // Database clock for the time before this attempt, this process's clock since: no skew between hosts.
  const openedAt = Date.parse(window.openedAt);
  const elapsedSeconds = () => (job.startedOn.getTime() - openedAt + Date.now() - startedLocally) / 1000;

  const giveUp = async (reason: GiveUpReason, error: Error, data?: unknown): Promise<JobResult> => {
    const summary = describeGiveUp(reason, attempt);
    log.warn({ err: error, reason }, `job gave up: ${summary}`);
    let message = error.message;
    if (data !== undefined && definition.onGiveUp) {
      try {
        await definition.onGiveUp(data, error);
      } catch (recordError) {
        log.error({ err: recordError }, "onGiveUp failed; the job is failed without the area knowing");
        message = `${message} (and recording the failure failed: ${asError(recordError).message})`;
      }
    }
    const output: FailureOutput = { message, errorName: error.name, attempt, gaveUp: reason, summary };
    // "deadletter" fails the job for good whatever retries remain; the queues have no dead letter queue.
    return { id: job.id, status: "deadletter", output };
  };

  const parsed = definition.schema.safeParse(producerData(job.data));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return giveUp("invalid-data", new PermanentJobError(`invalid job data at ${issue.path.join(".") || "(root)"}: ${issue.message}`));
  }
  const data = parsed.data;

  // Back after its retry time (its worker died, or it waited behind others): give up without running.
  if (attempt > window.firstAttempt && elapsedSeconds() >= definition.retryForSeconds) {
    return giveUp("retry-time-spent", new Error(lastErrorMessage(job.output) ?? "the job ran out of retry time"), data);
  }

  try {
    await definition.run(data, { jobId: job.id, attempt, signal: job.signal, log });
    return { id: job.id, status: "completed" };
  } catch (thrown) {
    const error = asError(thrown);
    if (job.signal.aborted) {
      // This worker no longer holds the job (stopping, or it overran); pg-boss has already released it.
      log.warn({ err: error }, "job interrupted; another attempt will follow");
      return { id: job.id, status: "failed", output: { message: error.message, errorName: error.name, attempt } satisfies FailureOutput };
    }
    const decision = decideRetry({
      error,
      failedAttempts: attempt - window.firstAttempt + 1,
      elapsedSeconds: elapsedSeconds(),
      retryForSeconds: definition.retryForSeconds,
      backoff: env.backoff,
    });
    if (decision.kind === "give-up") return giveUp(decision.reason, error, data);
    await setNextRetryDelay(env.db, env.schema, held, decision.delaySeconds);
    const retryAfterSeconds = (error as { retryAfterSeconds?: number }).retryAfterSeconds;
    log.info({ err: error, retryInSeconds: decision.delaySeconds, retryAfterSeconds }, "job failed; retrying");
    const output: FailureOutput = { message: error.message, errorName: error.name, attempt, retryInSeconds: decision.delaySeconds, retryAfterSeconds };
    return { id: job.id, status: "failed", output };
  }
}
