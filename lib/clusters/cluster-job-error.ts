// A job that talks to a cluster (provisioning, decommissioning, rollouts)
// turns the cluster's failure into the worker's terms here: retry what the
// API server says is worth retrying (with its Retry-After), give up on the
// rest. A 401 also drops the cached credentials, so the retry fetches new ones.
import { KubernetesApiError } from "@/lib/kubernetes/api-error";
import { forgetClusterCredentials } from "@/lib/kubernetes/cluster-access";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";

/** Errors that are already the worker's (or not the cluster's) pass through unchanged. */
export function asJobError(error: unknown, cluster: { id: string }): Error {
  if (!(error instanceof KubernetesApiError)) return error instanceof Error ? error : new Error(String(error));
  if (error.status === 401) forgetClusterCredentials(cluster);
  return error.retryable
    ? new RetryableJobError(error.message, { retryAfterSeconds: error.retryAfterSeconds, cause: error })
    : new PermanentJobError(error.message, { cause: error });
}
