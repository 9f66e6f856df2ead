// The signed-in person's approvals inbox: everything waiting for their
// decision, oldest first. Production deployments of their teams (all teams
// for a platform admin) that someone else requested, each with what it
// changes against what runs there now; and, for platform admins, pending
// namespace requests, except their own unless the environment's policy lets
// an admin approve their own. The same selection counts the badge in the
// navigation, so the count and the page always agree.
import { getPrisma } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { can, teamsActorActsFor, type Actor } from "@/lib/auth/permissions";
import { deploymentInclude, toDeploymentView, type DeploymentView } from "@/lib/deployments/deployment-view";
import { lastAppliedManifest } from "@/lib/deployments/deployment-target";
import { manifestDiff, type ManifestDiff } from "@/lib/deployments/manifest";
import { productionDifference, type FieldChange } from "@/lib/deployments/production-difference";
import type { RenderedManifest } from "@/lib/deployments/render";
import { listApprovalQueue, type QueuedRequest } from "@/lib/namespaces/list-namespaces";
import { loadPolicies } from "@/lib/namespaces/namespace-policies";
import type { Environment } from "@/lib/clusters/cluster-view";

export interface DeploymentApproval {
  deployment: DeploymentView;
  /** What runs in the namespace now (the revision Wharf applied last there); null for a first deployment. */
  running: { revision: number; image: string } | null;
  /** Field by field: image, replicas, requests and limits, ports, probes, environment. */
  changes: FieldChange[];
  /** The manifest's line diff against what runs now. */
  diff: ManifestDiff;
}

export type NamespaceApproval = Pick<QueuedRequest, "request" | "violationsNow" | "current">;

export interface ApprovalsInbox {
  count: number;
  deployments: DeploymentApproval[];
  namespaceRequests: NamespaceApproval[];
}

/** At most this many of each kind are listed (oldest first); the count is exact. */
export const inboxLimit = 100;

function waitingDeployments(actor: Actor): Prisma.DeploymentWhereInput | null {
  if (actor.kind !== "user" && actor.kind !== "system") return null;
  const teams = teamsActorActsFor(actor);
  if (teams !== "all" && teams.length === 0) return null;
  return {
    status: "awaiting-approval",
    ...(teams === "all" ? {} : { teamId: { in: teams } }),
    // The requester never approves their own; a pipeline's request (no person) is anyone's to decide.
    ...(actor.kind === "user" ? { OR: [{ requestedById: null }, { requestedById: { not: actor.userId } }] } : {}),
  };
}

/** Pending namespace requests this admin may decide: not their own, unless the environment's policy allows self-approval. */
async function decidableRequestIds(actor: Actor): Promise<string[]> {
  if (actor.kind !== "user" || !can(actor, "namespace:approve")) return [];
  const prisma = getPrisma();
  const rows = await prisma.namespaceRequest.findMany({
    where: { status: "pending" },
    select: { id: true, requestedById: true, cluster: { select: { environment: true } } },
  });
  if (rows.every((row) => row.requestedById !== actor.userId)) return rows.map((row) => row.id);
  const policies = await loadPolicies(prisma);
  return rows
    .filter((row) => row.requestedById !== actor.userId || (row.cluster.environment && policies[row.cluster.environment as Environment]?.allowSelfApproval))
    .map((row) => row.id);
}

/** How many items wait for this person: the badge in the navigation. */
export async function countApprovals({ actor }: { actor: Actor }): Promise<number> {
  const where = waitingDeployments(actor);
  const [deployments, requests] = await Promise.all([where ? getPrisma().deployment.count({ where }) : 0, decidableRequestIds(actor)]);
  return deployments + requests.length;
}

export async function listApprovals({ actor }: { actor: Actor }): Promise<ApprovalsInbox> {
  const prisma = getPrisma();
  const where = waitingDeployments(actor);
  const [rows, deploymentCount, requestIds] = await Promise.all([
    where ? prisma.deployment.findMany({ where, include: deploymentInclude, orderBy: { createdAt: "asc" }, take: inboxLimit }) : [],
    where ? prisma.deployment.count({ where }) : 0,
    decidableRequestIds(actor),
  ]);
  const deployments = await Promise.all(
    rows
      .filter((row) => can(actor, "deployment:approve", { teamId: row.teamId }))
      .map(async (row): Promise<DeploymentApproval> => {
        const running = await lastAppliedManifest(prisma, row.serviceId, row.namespaceId);
        const next = (row.manifest as unknown as RenderedManifest).deployment;
        return {
          deployment: toDeploymentView(row),
          running: running ? { revision: running.revision, image: running.image } : null,
          changes: productionDifference(running?.deployment ?? null, next),
          diff: manifestDiff(running?.yaml ?? null, row.manifestYaml),
        };
      }),
  );
  const wanted = new Set(requestIds);
  const queue = wanted.size > 0 ? await listApprovalQueue({ actor }) : [];
  const namespaceRequests = queue
    .filter((item) => wanted.has(item.request.id))
    .slice(0, inboxLimit)
    .map(({ request, violationsNow, current }) => ({ request, violationsNow, current }));
  return { count: deploymentCount + requestIds.length, deployments, namespaceRequests };
}
