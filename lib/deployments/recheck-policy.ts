// The policy again, just before the worker first applies a deployment that
// waited: for a second person's approval (which can take hours) or in the
// queue behind another rollout. Meanwhile the namespace's LimitRange or
// remaining quota may have changed, or the service been retired; applying
// anyway would fail later as FailedCreate with a less clear reason, or
// deploy what the catalog no longer wants. Same rules and live reads as the
// request (create-deployment.ts), without the membership and busy rules:
// those were the requester's and approver's, and the slot is this
// deployment's now.
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { policyFor } from "./create-deployment";
import { readNamespaceState, targetNamespaceInclude, targetServiceInclude } from "./deployment-target";
import { violationsMessage, type PolicyViolation } from "./policy";
import { annotationKeys, type RenderedManifest } from "./render";

const worker = { kind: "system" as const, name: "Wharf rollout" };

/** Whether the deployment waited since its request was checked, so the worker checks it again before the first apply. */
export function waitedSinceCheck(row: { approvedAt: Date | null; queuedAt: Date | null }): boolean {
  return row.approvedAt !== null || row.queuedAt !== null;
}

export interface PolicyBlock {
  violations: PolicyViolation[];
  /** The policy's own messages, saying what to change, and that nothing was applied. */
  message: string;
}

/** Null when the deployment may still be applied. A cluster that does not answer throws its KubernetesApiError, for the job to retry. */
export async function recheckPolicy(deploymentId: string): Promise<PolicyBlock | null> {
  const row = await getPrisma().deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    include: { service: { include: targetServiceInclude }, namespace: { include: targetNamespaceInclude } },
  });
  const target = { service: row.service, namespace: row.namespace };
  const waited = [row.approvedAt && "for approval", row.queuedAt && "in the queue"].filter(Boolean).join(" and ");
  if (row.namespace.status !== "ready") {
    // Decommissioning: an apply would fail on the terminating namespace, or recreate workloads in one the team is giving up.
    const violations: PolicyViolation[] = [
      {
        code: "namespace_not_ready",
        field: "namespaceId",
        message: `${row.namespace.name} is ${row.namespace.status} now; deploy to another namespace of ${row.namespace.team.name}.`,
      },
    ];
    return { violations, message: `Not applied: while this deployment waited ${waited}, ${violationsMessage(violations)}` };
  }
  let state;
  try {
    state = await readNamespaceState(target.namespace, target.service.slug);
  } catch (error) {
    if (error instanceof AppError && error.cause instanceof Error) throw error.cause;
    throw error;
  }
  // An earlier attempt applied it and died before recording that: the check is past, follow on.
  const live = state.current as { metadata?: { annotations?: Record<string, string> } } | null;
  if (live?.metadata?.annotations?.[annotationKeys.revision] === String(row.revision)) return null;
  const violations = policyFor(target, state, row.manifest as unknown as RenderedManifest, worker, getConfig().azure.allowedRegistries, null);
  if (violations.length === 0) return null;
  return {
    violations,
    message:
      `Not applied: checked again after it waited ${waited}, this deployment no ` +
      `longer passes the policy. ${violationsMessage(violations)} Then deploy again.`,
  };
}
