// The few things Wharf writes straight into pg-boss's job table, because
// pg-boss has no call for them on a running job. Each statement is fenced to
// the attempt this worker holds (state active, same retry_count), so a worker
// that lost its job cannot touch the next attempt. See decision 0013.
import type { Db } from "pg-boss";

/** Kept in the job's data: when the current retry window opened, and at which attempt. */
export const retryWindowKey = "_wharfRetryWindow";

export interface RetryWindow {
  /** Database time of the window's first attempt. */
  openedAt: string;
  firstAttempt: number;
}

export interface HeldAttempt {
  queue: string;
  id: string;
  retryCount: number;
}

export function readRetryWindow(data: unknown): RetryWindow | null {
  if (!data || typeof data !== "object") return null;
  const window = (data as Record<string, unknown>)[retryWindowKey] as Partial<RetryWindow> | undefined;
  if (typeof window?.openedAt !== "string" || typeof window.firstAttempt !== "number") return null;
  return { openedAt: window.openedAt, firstAttempt: window.firstAttempt };
}

/** The job's data as its producer sent it. */
export function producerData(data: unknown): unknown {
  if (!data || typeof data !== "object" || Array.isArray(data)) return data ?? {};
  const { [retryWindowKey]: _window, ...rest } = data as Record<string, unknown>;
  return rest;
}

const heldAttemptOnly = "name = $1 AND id = $2::uuid AND state = 'active' AND retry_count = $3";

/**
 * Readies the row for this attempt. A new retry window goes into the job's
 * data: data is the one column pg-boss carries unchanged through retries,
 * expiry and dead workers, so the window survives a SIGKILL. And retry_delay
 * goes back to the rescue delay, so if this worker dies the job comes back
 * after that, not after the last failure's backoff. Writes nothing when both
 * are already so.
 */
export async function prepareAttempt(
  db: Db,
  schema: string,
  attempt: HeldAttempt,
  change: { newWindow: RetryWindow | null; rescueDelaySeconds: number },
): Promise<void> {
  await db.executeSql(
    `UPDATE ${schema}.job
     SET data = CASE WHEN $4::jsonb IS NULL THEN data ELSE jsonb_set(COALESCE(data, '{}'::jsonb), '{${retryWindowKey}}', $4::jsonb) END,
         retry_delay = $5, retry_backoff = false
     WHERE ${heldAttemptOnly} AND ($4::jsonb IS NOT NULL OR retry_delay <> $5 OR retry_backoff)`,
    [attempt.queue, attempt.id, attempt.retryCount, change.newWindow ? JSON.stringify(change.newWindow) : null, change.rescueDelaySeconds],
  );
}

/** pg-boss starts the next attempt retry_delay seconds after a failure; this sets it for this failure. */
export async function setNextRetryDelay(db: Db, schema: string, attempt: HeldAttempt, delaySeconds: number): Promise<void> {
  await db.executeSql(`UPDATE ${schema}.job SET retry_delay = $4, retry_backoff = false WHERE ${heldAttemptOnly}`, [
    attempt.queue,
    attempt.id,
    attempt.retryCount,
    delaySeconds,
  ]);
}

/** The message of the last failure pg-boss stored: Wharf's own output, or pg-boss's `{ value: { message } }`. */
export function lastErrorMessage(output: unknown): string | null {
  if (!output || typeof output !== "object") return null;
  const record = output as { message?: unknown; value?: { message?: unknown } | unknown };
  if (typeof record.message === "string") return record.message;
  const value = record.value as { message?: unknown } | undefined;
  if (value && typeof value === "object" && typeof value.message === "string") return value.message;
  if (typeof record.value === "string") return record.value;
  return null;
}
