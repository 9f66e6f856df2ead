import { describe, expect, it } from "vitest";
import { asJobError } from "@/lib/clusters/cluster-job-error";
import { KubernetesApiError } from "@/lib/kubernetes/api-error";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";

const cluster = { id: "00000000-0000-4000-8000-000000000000" };

describe("asJobError", () => {
  it("retries what the API server says is worth retrying, keeping its Retry-After", () => {
    const failure = asJobError(new KubernetesApiError("throttled", { status: 429, retryable: true, retryAfterSeconds: 7 }), cluster);
    expect(failure).toBeInstanceOf(RetryableJobError);
    expect((failure as RetryableJobError).retryAfterSeconds).toBe(7);
    expect(failure.message).toBe("throttled");
  });

  it("gives up on what a retry cannot fix", () => {
    expect(asJobError(new KubernetesApiError("forbidden by RBAC", { status: 403, retryable: false }), cluster)).toBeInstanceOf(PermanentJobError);
  });

  it("passes the worker's own errors and anything else through unchanged", () => {
    const permanent = new PermanentJobError("no such namespace");
    const retryable = new RetryableJobError("still terminating", { retryAfterSeconds: 2 });
    expect(asJobError(permanent, cluster)).toBe(permanent);
    expect(asJobError(retryable, cluster)).toBe(retryable);
    expect(asJobError("boom", cluster).message).toBe("boom");
  });
});
