// Every queue Wharf runs and the shape of its data, in one place. Producers
// (`enqueue`) and the worker both validate against these schemas, so a job
// that reaches a handler always has the data the handler expects.
import { z } from "zod";

export const queueNames = [
  "cluster.discover",
  "namespace.provision",
  "namespace.reconcile",
  "namespace.decommission",
  "deployment.rollout",
  "deployment.resume",
  "health.poll",
  "map.rebuild",
  "cost.sync",
  "cost.sample",
] as const;

export type QueueName = (typeof queueNames)[number];

export const queueDataSchemas = {
  "cluster.discover": z.object({}),
  "namespace.provision": z.object({ namespaceId: z.string().min(1) }),
  "namespace.reconcile": z.object({ clusterId: z.string().min(1).optional() }),
  "namespace.decommission": z.object({ namespaceId: z.string().min(1) }),
  "deployment.rollout": z.object({ deploymentId: z.string().min(1) }),
  "deployment.resume": z.object({}),
  "health.poll": z.object({}),
  "map.rebuild": z.object({}),
  "cost.sync": z.object({ force: z.boolean().optional() }),
  "cost.sample": z.object({}),
} satisfies Record<QueueName, z.ZodType>;

export type QueueData<Q extends QueueName> = z.infer<(typeof queueDataSchemas)[Q]>;

export interface QueueSettings {
  /**
   * Jobs are about one thing (a namespace): `enqueue`
   * needs a singletonKey, and at most one job per key is queued or running at
   * a time, so a double click or two admins at once cannot do the same work
   * twice. A queue without keys holds at most one queued or running job.
   */
  keyed: boolean;
  /** Longest one attempt may run; after that pg-boss takes the job back and retries it. */
  timeoutSeconds: number;
}

export const queueSettings: Record<QueueName, QueueSettings> = {
  "cluster.discover": { keyed: false, timeoutSeconds: 10 * 60 },
  "namespace.provision": { keyed: true, timeoutSeconds: 5 * 60 },
  "namespace.reconcile": { keyed: false, timeoutSeconds: 5 * 60 },
  "namespace.decommission": { keyed: true, timeoutSeconds: 10 * 60 },
  // Applies, then follows the rollout to its end: longer than Wharf's follow deadline (lib/deployments/deployment-settings.ts).
  "deployment.rollout": { keyed: true, timeoutSeconds: 40 * 60 },
  "deployment.resume": { keyed: false, timeoutSeconds: 60 },
  // One cycle; shorter cycles than a minute chain themselves (lib/health/health-poll-job.ts).
  "health.poll": { keyed: false, timeoutSeconds: 5 * 60 },
  // Waits for a running health cycle (up to two minutes), then lays out only what changed.
  "map.rebuild": { keyed: false, timeoutSeconds: 5 * 60 },
  // Months × groupings × scopes queries, with QPU waits of up to two minutes each.
  "cost.sync": { keyed: false, timeoutSeconds: 30 * 60 },
  // Two reads and two upserts, however many namespaces.
  "cost.sample": { keyed: false, timeoutSeconds: 2 * 60 },
};

/** The minute of each hour the cost sync checks which scopes are due (lib/costs/sync-plan.ts nextScopeSync says when). */
export const costSyncCheckMinute = 17;

/** Recurring jobs: cron in UTC. Every process registers them; pg-boss sends each occurrence once. */
export const schedules: { queue: QueueName; cron: string; data: Record<string, unknown> }[] = [
  { queue: "cluster.discover", cron: "0 * * * *", data: {} },
  // Drift shows within two minutes; it costs five list calls per cluster, however many namespaces.
  { queue: "namespace.reconcile", cron: "*/2 * * * *", data: {} },
  // Rollouts whose job was lost (enqueue failed after commit) are enqueued again; running ones are left alone.
  { queue: "deployment.resume", cron: "* * * * *", data: {} },
  { queue: "health.poll", cron: "* * * * *", data: {} },
  // Hourly; each scope syncs when its last sync is WHARF_COST_SYNC_HOURS old (lib/costs/cost-sync-job.ts).
  { queue: "cost.sync", cron: `${costSyncCheckMinute} * * * *`, data: {} },
  // Each minute; a sample is taken when the last is WHARF_COST_SAMPLE_MINUTES old (lib/costs/cost-sample-job.ts).
  { queue: "cost.sample", cron: "* * * * *", data: {} },
];

export function isQueueName(value: string): value is QueueName {
  return (queueNames as readonly string[]).includes(value);
}

/** What each queue does, in words, for the Jobs page. */
export const queueDescriptions: Record<QueueName, string> = {
  "cluster.discover": "Discovers AKS clusters through Azure Resource Manager and checks each one, every hour.",
  "namespace.provision": "Applies an approved namespace to its cluster: namespace, quota, limit range, role binding, network policies.",
  "namespace.reconcile": "Compares namespaces on the clusters with what was approved, and records drift.",
  "namespace.decommission": "Deletes a namespace whose decommission was approved, and keeps its record.",
  "deployment.rollout": "Applies a deployment to its namespace and follows the rollout to its end.",
  "deployment.resume": "Every minute, queues again rollouts whose job was lost.",
  "health.poll": "Every WHARF_HEALTH_POLL_SECONDS, judges every service's health from Kubernetes and one Log Analytics query per workspace.",
  "map.rebuild":
    "When the catalog changes what the application map shows (a role linked to a service, a dependency declared), rebuilds the map from the edges " +
    "already stored, without asking Log Analytics.",
  "cost.sync": "Every WHARF_COST_SYNC_HOURS, stores each subscription's billed cost by day and resource for this month and last, from Cost Management.",
  "cost.sample":
    "Every WHARF_COST_SAMPLE_MINUTES, adds each namespace's requested CPU and memory to its resource-hours of the day, from the quota usage Wharf stores.",
};
