// Placeholder definitions for the namespace queues, so the registry is whole
// while provisioning is being written (issue 5, items 5 and 6). Replace each
// with the real definition from lib/namespaces and delete this file.
import { PermanentJobError } from "@/lib/jobs/errors";
import { queueDataSchemas, type QueueData } from "@/lib/jobs/queues";
import type { JobDefinition } from "@/lib/jobs/handlers";

async function notWiredYet(): Promise<void> {
  throw new PermanentJobError("This queue has no handler in this build of Wharf yet.");
}

export const provisionNamespaceJob: JobDefinition<QueueData<"namespace.provision">> = {
  schema: queueDataSchemas["namespace.provision"],
  run: notWiredYet,
  retryForSeconds: 30 * 60,
};

export const reconcileNamespaceJob: JobDefinition<QueueData<"namespace.reconcile">> = {
  schema: queueDataSchemas["namespace.reconcile"],
  run: notWiredYet,
  retryForSeconds: 30 * 60,
};

export const decommissionNamespaceJob: JobDefinition<QueueData<"namespace.decommission">> = {
  schema: queueDataSchemas["namespace.decommission"],
  run: notWiredYet,
  retryForSeconds: 30 * 60,
};
