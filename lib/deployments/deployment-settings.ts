// Deployment settings that are Wharf's own policy rather than environment:
// how long Wharf follows a rollout before it calls it failed. Which
// environments need a second person's approval is the admins' choice, per
// environment, next to the namespace policy (Admin → Namespace policy).
import type { Prisma } from "@/lib/db/generated/client";
import type { Environment } from "@/lib/clusters/cluster-view";
import { loadPolicies } from "@/lib/namespaces/namespace-policies";
import { defaultCrashLoopRestarts, defaultFailedCreateGraceSeconds } from "./rollout-state";

/**
 * Whether a deployment to a namespace of `environment` waits for another
 * member of the team, or a platform admin, to approve (the environment's
 * policy; production by default). The requester never approves their own.
 * Rollbacks and the rollback a cancel starts skip the gate: they re-apply a
 * manifest that was already approved and ran successfully in that namespace.
 * A namespace without a known environment needs no approval.
 */
export async function approvalRequired(db: Pick<Prisma.TransactionClient, "namespacePolicy">, environment: string): Promise<boolean> {
  const policies = await loadPolicies(db);
  return policies[environment as Environment]?.requireDeploymentApproval ?? false;
}

export interface RolloutTiming {
  /**
   * Wharf's own deadline, from the first apply: past it a rollout that has
   * neither succeeded nor failed is failed (cluster unreachable, controller
   * stuck). Kubernetes' progress deadline restarts with every pod that
   * becomes available, so a large rollout can run longer than 300 s.
   */
  followDeadlineSeconds: number;
  failedCreateGraceSeconds: number;
  crashLoopRestarts: number;
  /** How often a rollout that sees no cluster change re-reads its own row (was it cancelled?) and the clock (grace, deadline). */
  idleCheckMs: number;
}

export const defaultRolloutTiming: RolloutTiming = {
  followDeadlineSeconds: 30 * 60,
  failedCreateGraceSeconds: defaultFailedCreateGraceSeconds,
  crashLoopRestarts: defaultCrashLoopRestarts,
  idleCheckMs: 2_000,
};

/** Statuses of a deployment that holds (or waits for) its service's rollout slot in a namespace. */
export const busyStatuses = ["queued", "applying", "progressing"] as const;
export const terminalStatuses = ["succeeded", "failed", "cancelled", "rejected"] as const;
/**
 * deploy, or rollback (re-applies an earlier revision's manifest; a cancel rolls back too). The database's CHECK constraints allow exactly
 * these and the statuses below (lib/status-checks.test.ts).
 */
export const deploymentKinds = ["deploy", "rollback"] as const;
export type DeploymentKind = (typeof deploymentKinds)[number];
/** `rejected`: a second person said no, with a reason, before it was applied (decision 0037). */
export const deploymentStatuses = ["awaiting-approval", "queued", "applying", "progressing", "succeeded", "failed", "cancelled", "rejected"] as const;
export type DeploymentStatus = (typeof deploymentStatuses)[number];

export function isTerminal(status: string): boolean {
  return (terminalStatuses as readonly string[]).includes(status);
}
