// The namespace area's queues as the worker runs them.
import type { JobDefinition } from "@/lib/jobs/job-definition";
import { queueDataSchemas, type QueueData } from "@/lib/jobs/queues";
import { provisionNamespace, provisioningGaveUp } from "@/lib/namespaces/provision-namespace";
import { decommissionGaveUp, decommissionNamespace } from "@/lib/namespaces/decommission-namespace";
import { reconcileNamespaces } from "@/lib/namespaces/reconcile-namespaces";

export const provisionNamespaceJob: JobDefinition<QueueData<"namespace.provision">> = {
  schema: queueDataSchemas["namespace.provision"],
  run: ({ namespaceId }, { attempt }) => provisionNamespace({ namespaceId, attempt }),
  onGiveUp: ({ namespaceId }, error) => provisioningGaveUp({ namespaceId, error }),
  // A cluster that stays unreachable this long is a failure a person should see, with a retry button.
  retryForSeconds: 10 * 60,
  // The per-cluster limit (WHARF_CLUSTER_WRITE_CONCURRENCY) holds across processes; this is per process.
  concurrency: 16,
};

export const decommissionNamespaceJob: JobDefinition<QueueData<"namespace.decommission">> = {
  schema: queueDataSchemas["namespace.decommission"],
  run: ({ namespaceId }) => decommissionNamespace({ namespaceId }),
  onGiveUp: ({ namespaceId }, error) => decommissionGaveUp({ namespaceId, error }),
  // Deleting a namespace waits for everything in it to go, which can take minutes.
  retryForSeconds: 20 * 60,
  concurrency: 4,
};

export const reconcileNamespacesJob: JobDefinition<QueueData<"namespace.reconcile">> = {
  schema: queueDataSchemas["namespace.reconcile"],
  async run({ clusterId }, { log }) {
    const result = await reconcileNamespaces({ clusterId });
    log.info({ clusters: result.clusters, requeued: result.requeued, capacity: result.capacity }, "namespaces reconciled");
  },
  // The next scheduled run comes within minutes; failures per cluster are recorded on the cluster.
  retryForSeconds: 60,
  concurrency: 1,
};
