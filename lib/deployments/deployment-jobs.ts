// The deployment area's queues as the worker runs them.
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { queueDataSchemas, type QueueData } from "@/lib/jobs/queues";
import { rolloutDeployment, rolloutGaveUp } from "./rollout-deployment";
import { resumeRollouts } from "./resume-rollouts";

export const rolloutDeploymentJob: JobDefinition<QueueData<"deployment.rollout">> = {
  schema: queueDataSchemas["deployment.rollout"],
  run: ({ deploymentId }, { attempt, signal }) => rolloutDeployment({ deploymentId, attempt, signal }),
  onGiveUp: ({ deploymentId }, error) => rolloutGaveUp({ deploymentId, error }),
  // Retries cover the apply (429, 5xx, a cluster away for a while); following never throws but for a lost job.
  retryForSeconds: 10 * 60,
  // Following is waiting on the shared informer, not work: many rollouts at once per process.
  concurrency: 200,
};

export const resumeRolloutsJob: JobDefinition<QueueData<"deployment.resume">> = {
  schema: queueDataSchemas["deployment.resume"],
  async run(_data, { log }) {
    const enqueued = await resumeRollouts();
    if (enqueued) log.info({ enqueued }, "rollouts without a job enqueued again");
  },
  retryForSeconds: 60,
  concurrency: 1,
};
