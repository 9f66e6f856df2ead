// One error type for everything a user or a dependency can cause. Route
// handlers and pages map `code` to a status and a message; nothing else
// decides HTTP statuses.

export const errorCodes = {
  invalid_input: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  /** Well-formed but not acceptable as sent, e.g. an Idempotency-Key reused with another body. */
  unprocessable_content: 422,
  /** Past a rate limit; the client should retry after `retryAfterSeconds`. */
  rate_limited: 429,
  dependency_unavailable: 503,
  /** Wharf itself has too much of this kind of work queued; the client should retry after `retryAfterSeconds`. */
  overloaded: 503,
} as const;

export type ErrorCode = keyof typeof errorCodes;

/** What a route handler answers for an error nobody foresaw (a defect): it is logged, and the client gets only this. */
export const unexpectedError = { code: "internal", status: 500 } as const;

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Where in the input the problem is, e.g. ["entraGroupIds", 1]. */
  readonly path?: (string | number)[];
  /** Sent as Retry-After: when it makes sense to try again. */
  readonly retryAfterSeconds?: number;

  constructor(code: ErrorCode, message: string, options?: { path?: (string | number)[]; cause?: unknown; retryAfterSeconds?: number }) {
    super(message, { cause: options?.cause });
    this.name = "AppError";
    this.code = code;
    this.path = options?.path;
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  get status(): number {
    return errorCodes[this.code];
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
