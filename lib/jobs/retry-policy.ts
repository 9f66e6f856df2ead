// When a failed job runs again, or gives up. Pure: the worker feeds it the
// error, the attempt and the time spent, and stores what it decides.
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";
import { backoffWithJitter } from "@/lib/net/backoff";

export interface Backoff {
  /** Ceiling of the delay after the first failed attempt; it doubles with each failure after that. */
  baseSeconds: number;
  /** The ceiling stops doubling here. A `Retry-After` may still ask for longer. */
  maxSeconds: number;
}

export const defaultBackoff: Backoff = { baseSeconds: 5, maxSeconds: 300 };

export type GiveUpReason = "permanent" | "retry-time-spent" | "invalid-data";

export type RetryDecision = { kind: "retry"; delaySeconds: number } | { kind: "give-up"; reason: GiveUpReason };

export interface FailedAttempt {
  error: unknown;
  /** Failures since the retry window opened (the first attempt, or an admin's retry), from 1. */
  failedAttempts: number;
  /** Seconds since the retry window opened. */
  elapsedSeconds: number;
  retryForSeconds: number;
  backoff: Backoff;
  random?: () => number;
}

export function decideRetry(attempt: FailedAttempt): RetryDecision {
  if (attempt.error instanceof PermanentJobError) return { kind: "give-up", reason: "permanent" };
  const retryAfter = attempt.error instanceof RetryableJobError ? (attempt.error.retryAfterSeconds ?? 0) : 0;
  const backoff = backoffWithJitter(attempt.failedAttempts, { initial: attempt.backoff.baseSeconds, max: attempt.backoff.maxSeconds }, attempt.random);
  // pg-boss schedules retries in whole seconds; rounding up keeps Retry-After a lower bound.
  const delaySeconds = Math.max(1, Math.ceil(Math.max(backoff, retryAfter)));
  if (attempt.elapsedSeconds + delaySeconds > attempt.retryForSeconds) return { kind: "give-up", reason: "retry-time-spent" };
  return { kind: "retry", delaySeconds };
}

/** What the Jobs page says about a job that gave up. */
export function describeGiveUp(reason: GiveUpReason, attempts: number): string {
  switch (reason) {
    case "permanent":
      return `failed permanently on attempt ${attempts}; retrying would not help until the cause is fixed`;
    case "retry-time-spent":
      return `gave up after ${attempts} attempt${attempts === 1 ? "" : "s"}: its retry time is spent`;
    case "invalid-data":
      return "its data does not match the queue's schema";
  }
}
