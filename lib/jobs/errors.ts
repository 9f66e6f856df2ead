// How a job handler says what kind of failure it hit. Anything else a handler
// throws counts as retryable: a bug that fails every time still gives up
// once its retry time is spent, and an unexpected network error recovers.

/** A failure worth trying again: 429, 5xx, a timeout, a dropped connection. */
export class RetryableJobError extends Error {
  /** From a `Retry-After` header: the next attempt waits at least this long. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, options?: { retryAfterSeconds?: number; cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "RetryableJobError";
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }
}

/** A failure that will not go away by trying again (403, 422, invalid data): fail at once, no retry. */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, { cause: options?.cause });
    this.name = "PermanentJobError";
  }
}
