// What pages and the API see of a deployment.
import type { Prisma } from "@/lib/db/generated/client";
import { oneOf } from "@/lib/db/one-of";
import { deploymentKinds, deploymentStatuses, type DeploymentKind, type DeploymentStatus } from "./deployment-settings";
import type { RolloutEvent, RolloutPod } from "./rollout-state";
import { tagCheckOf, tagCheckOutcomes, type TagCheck } from "./version-text";

export const deploymentInclude = {
  service: { select: { id: true, slug: true, displayName: true } },
  namespace: { select: { id: true, name: true, environment: true, cluster: { select: { id: true, name: true } } } },
  team: { select: { id: true, slug: true, name: true } },
} satisfies Prisma.DeploymentInclude;

export type DeploymentRow = Prisma.DeploymentGetPayload<{ include: typeof deploymentInclude }>;

/**
 * What live pages are pushed on every change (lib/deployments/live-deployments.ts):
 * the fields that move during a deployment's life, read from its own row in one
 * query. Everything else about it (service, namespace, image, manifest) never changes.
 */
export const deploymentProgressSelect = {
  id: true,
  status: true,
  reason: true,
  message: true,
  desiredReplicas: true,
  updatedReplicas: true,
  readyReplicas: true,
  availableReplicas: true,
  pods: true,
  events: true,
  needsApproval: true,
  approvedById: true,
  approvedByName: true,
  approvedAt: true,
  queuedAt: true,
  cancelledByName: true,
  rejectedById: true,
  rejectedByName: true,
  rejectedAt: true,
  rejectionReason: true,
  startedAt: true,
  finishedAt: true,
  updatedAt: true,
} satisfies Prisma.DeploymentSelect;

export type DeploymentProgressRow = Prisma.DeploymentGetPayload<{ select: typeof deploymentProgressSelect }>;
export type DeploymentProgress = Pick<
  DeploymentView,
  | "id"
  | "status"
  | "inFlight"
  | "reason"
  | "message"
  | "counts"
  | "pods"
  | "events"
  | "needsApproval"
  | "approvedBy"
  | "approvedAt"
  | "queuedAt"
  | "cancelledBy"
  | "rejection"
  | "startedAt"
  | "finishedAt"
  | "updatedAt"
  | "durationSeconds"
>;

export interface DeploymentView {
  id: string;
  service: { id: string; slug: string; displayName: string };
  namespace: { id: string; name: string; environment: string; cluster: { id: string; name: string } };
  team: { id: string; slug: string; name: string };
  requestedBy: { id: string | null; name: string };
  revision: number;
  kind: DeploymentKind;
  image: string;
  imageTag: string | null;
  imageDigest: string | null;
  /** A digest with the tag it was picked as: whether the registry confirmed the tag, or why it could not be asked; null otherwise (decision 0068). */
  tagCheck: TagCheck | null;
  replicas: number;
  status: DeploymentStatus;
  /** Still moving: pages poll while this is true. */
  inFlight: boolean;
  reason: string | null;
  message: string | null;
  counts: { desired: number; updated: number; ready: number; available: number };
  pods: RolloutPod[];
  events: RolloutEvent[];
  needsApproval: boolean;
  approvedBy: { id: string | null; name: string } | null;
  approvedAt: string | null;
  /** When it started waiting behind another rollout of the service in the namespace; null if it never waited. */
  queuedAt: string | null;
  cancelledBy: string | null;
  /** Who rejected it while it waited for approval, when, and the reason they gave; null unless rejected. */
  rejection: { by: { id: string | null; name: string }; at: string; reason: string } | null;
  rolledBackFromId: string | null;
  manifestYaml: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** From the first apply to the end, in seconds; null until both are known. */
  durationSeconds: number | null;
}

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

export function toDeploymentView(row: DeploymentRow): DeploymentView {
  return {
    ...toDeploymentProgress(row),
    service: row.service,
    namespace: row.namespace,
    team: row.team,
    requestedBy: { id: row.requestedById, name: row.requestedByName },
    revision: row.revision,
    kind: oneOf(deploymentKinds, row.kind, "Deployment.kind"),
    image: row.image,
    imageTag: row.imageTag,
    imageDigest: row.imageDigest,
    tagCheck: tagCheckOf(row.imageTag, row.tagCheck === null ? null : oneOf(tagCheckOutcomes, row.tagCheck, "Deployment.tagCheck")),
    replicas: row.replicas,
    rolledBackFromId: row.rolledBackFromId,
    manifestYaml: row.manifestYaml,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toDeploymentProgress(row: DeploymentProgressRow): DeploymentProgress {
  const status = oneOf(deploymentStatuses, row.status, "Deployment.status");
  return {
    id: row.id,
    status,
    inFlight: status === "queued" || status === "applying" || status === "progressing" || status === "awaiting-approval",
    reason: row.reason,
    message: row.message,
    counts: { desired: row.desiredReplicas, updated: row.updatedReplicas, ready: row.readyReplicas, available: row.availableReplicas },
    pods: (row.pods as RolloutPod[] | null) ?? [],
    events: (row.events as RolloutEvent[] | null) ?? [],
    needsApproval: row.needsApproval,
    approvedBy: row.approvedByName ? { id: row.approvedById, name: row.approvedByName } : null,
    approvedAt: iso(row.approvedAt),
    queuedAt: iso(row.queuedAt),
    cancelledBy: row.cancelledByName,
    rejection:
      row.rejectedByName && row.rejectedAt
        ? { by: { id: row.rejectedById, name: row.rejectedByName }, at: row.rejectedAt.toISOString(), reason: row.rejectionReason ?? "" }
        : null,
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
    updatedAt: row.updatedAt.toISOString(),
    durationSeconds: row.startedAt && row.finishedAt ? Math.round((row.finishedAt.getTime() - row.startedAt.getTime()) / 1000) : null,
  };
}
