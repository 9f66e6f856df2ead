// The queues this worker runs, one definition per queue. This is the only
// module that knows every area's jobs: a new area's job is one line here (and
// its queue in lib/jobs/queues.ts). It lives outside lib/jobs so the job
// machinery never imports the areas that use it.
import type { JobDefinitions } from "@/lib/jobs/job-definition";
import { discoverClustersJob } from "@/lib/clusters/discover-clusters-job";
import { decommissionNamespaceJob, provisionNamespaceJob, reconcileNamespacesJob } from "@/lib/namespaces/namespace-job-definitions";
import { resumeRolloutsJob, rolloutDeploymentJob } from "@/lib/deployments/deployment-jobs";
import { healthPollJob } from "@/lib/telemetry/health-poll-job";
import { mapRebuildJob } from "@/lib/telemetry/map-rebuild-job";
import { costSyncJob } from "@/lib/costs/cost-sync-job";
import { costSampleJob } from "@/lib/costs/cost-sample-job";

export const jobDefinitions: JobDefinitions = {
  "cluster.discover": discoverClustersJob,
  "namespace.provision": provisionNamespaceJob,
  "namespace.reconcile": reconcileNamespacesJob,
  "namespace.decommission": decommissionNamespaceJob,
  "deployment.rollout": rolloutDeploymentJob,
  "deployment.resume": resumeRolloutsJob,
  "health.poll": healthPollJob,
  "map.rebuild": mapRebuildJob,
  "cost.sync": costSyncJob,
  "cost.sample": costSampleJob,
};
