import { describe, expect, it } from "vitest";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";
import { decideRetry, type Backoff } from "@/lib/jobs/retry-policy";

const backoff: Backoff = { baseSeconds: 4, maxSeconds: 60 };
const low = () => 0;

describe("decideRetry", () => {
  const attempt = { failedAttempts: 1, elapsedSeconds: 0, retryForSeconds: 600, backoff, random: low };

  it("retries a retryable error after the backoff, in whole seconds", () => {
    expect(decideRetry({ ...attempt, error: new RetryableJobError("503 from the cluster") })).toEqual({ kind: "retry", delaySeconds: 2 });
    expect(decideRetry({ ...attempt, failedAttempts: 3, error: new RetryableJobError("503"), random: () => 0.3 })).toEqual({ kind: "retry", delaySeconds: 11 });
  });

  it("waits at least as long as Retry-After asks, even beyond the backoff ceiling", () => {
    expect(decideRetry({ ...attempt, error: new RetryableJobError("429", { retryAfterSeconds: 30 }) })).toEqual({ kind: "retry", delaySeconds: 30 });
    expect(decideRetry({ ...attempt, error: new RetryableJobError("429", { retryAfterSeconds: 120 }) })).toEqual({ kind: "retry", delaySeconds: 120 });
    expect(decideRetry({ ...attempt, error: new RetryableJobError("429", { retryAfterSeconds: 2.2 }) })).toEqual({ kind: "retry", delaySeconds: 3 });
  });

  it("uses the backoff when Retry-After asks for less", () => {
    expect(decideRetry({ ...attempt, failedAttempts: 4, error: new RetryableJobError("429", { retryAfterSeconds: 1 }) })).toEqual({
      kind: "retry",
      delaySeconds: 16,
    });
  });

  it("treats an unexpected error as retryable", () => {
    expect(decideRetry({ ...attempt, error: new TypeError("fetch failed") })).toEqual({ kind: "retry", delaySeconds: 2 });
  });

  it("gives up at once on a permanent error", () => {
    expect(decideRetry({ ...attempt, error: new PermanentJobError("403 Forbidden") })).toEqual({ kind: "give-up", reason: "permanent" });
  });

  it("gives up when the next attempt would start after the retry time", () => {
    expect(decideRetry({ ...attempt, elapsedSeconds: 597, error: new RetryableJobError("503") })).toEqual({ kind: "retry", delaySeconds: 2 });
    expect(decideRetry({ ...attempt, elapsedSeconds: 599, error: new RetryableJobError("503") })).toEqual({ kind: "give-up", reason: "retry-time-spent" });
    expect(decideRetry({ ...attempt, error: new RetryableJobError("429", { retryAfterSeconds: 3600 }) })).toEqual({
      kind: "give-up",
      reason: "retry-time-spent",
    });
  });
});
