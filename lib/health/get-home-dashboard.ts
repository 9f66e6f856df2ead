// The signed-in person's home page: their teams' services with health,
// rollouts in progress, what waits for their decision, and recent failures;
// for admins also the fleet's counts and the namespace approval queue. Reads
// only what the person may read, through the same rules as the other pages.
import { getPrisma } from "@/lib/db/client";
import { can, forbidden, type Actor } from "@/lib/auth/permissions";
import { deploymentInclude, toDeploymentView, type DeploymentView } from "@/lib/deployments/deployment-view";
import { listServiceHealth } from "@/lib/health/list-service-health";
import type { HealthCounts, HealthEntry, WorkspaceProblem } from "@/lib/health/health-view";

export interface PendingNamespaceRequest {
  id: string;
  kind: string;
  name: string;
  team: string;
  cluster: string;
  requestedBy: string;
  createdAt: string;
}

export interface HealthTurn {
  service: { slug: string; displayName: string };
  namespace: string;
  environment: string;
  fromState: string | null;
  toState: string;
  at: string;
  message: string | null;
}

export interface HomeDashboard {
  /** The person's teams' services × environments, worst first (at most 25), and their counts. */
  myHealth: { entries: HealthEntry[]; counts: HealthCounts; total: number };
  rolloutsInProgress: DeploymentView[];
  /** Production deployments waiting for an approval this person may give (never their own). */
  approvals: DeploymentView[];
  /** Namespace requests waiting for a decision: admins only. */
  namespaceRequests: PendingNamespaceRequest[];
  /** Failed deployments of the last 7 days and services that turned unhealthy in the last 24 hours. */
  failedDeployments: DeploymentView[];
  turnedUnhealthy: HealthTurn[];
  /** Admins: the whole fleet's counts and its worst entries (at most 8). */
  fleet: { counts: HealthCounts; total: number; worst: HealthEntry[] } | null;
  workspaces: WorkspaceProblem[];
}

const inProgress = ["queued", "applying", "progressing"];

export async function getHomeDashboard({ actor, now = new Date() }: { actor: Actor; now?: Date }): Promise<HomeDashboard> {
  if (!can(actor, "health:read")) throw forbidden("health:read");
  const prisma = getPrisma();
  const isAdmin = actor.kind !== "pipeline" && (actor.kind === "system" || actor.isAdmin);
  const teamIds = actor.kind === "system" ? [] : actor.teams.map((team) => team.id);
  // Admins watch the whole fleet's rollouts and failures; members their teams'.
  const scope = isAdmin ? {} : { teamId: { in: teamIds } };
  const canReadDeployments = can(actor, "deployment:read");
  const [mine, fleet, rolloutRows, waitingRows, failedRows, turns, requests] = await Promise.all([
    teamIds.length > 0 ? listServiceHealth({ actor, query: { team: "mine", pageSize: 25 }, now }) : null,
    isAdmin ? listServiceHealth({ actor, query: { pageSize: 8 }, now }) : null,
    canReadDeployments
      ? prisma.deployment.findMany({ where: { ...scope, status: { in: inProgress } }, include: deploymentInclude, orderBy: { createdAt: "desc" }, take: 10 })
      : [],
    canReadDeployments
      ? prisma.deployment.findMany({ where: { ...scope, status: "awaiting-approval" }, include: deploymentInclude, orderBy: { createdAt: "asc" }, take: 50 })
      : [],
    canReadDeployments
      ? prisma.deployment.findMany({
          where: { ...scope, status: "failed", createdAt: { gte: new Date(now.getTime() - 7 * 24 * 3600_000) } },
          include: deploymentInclude,
          orderBy: { createdAt: "desc" },
          take: 10,
        })
      : [],
    prisma.healthTransition.findMany({
      where: {
        toState: "unhealthy",
        at: { gte: new Date(now.getTime() - 24 * 3600_000) },
        service: isAdmin ? { retiredAt: null } : { retiredAt: null, ownerTeamId: { in: teamIds } },
      },
      include: { service: { select: { slug: true, displayName: true } }, namespace: { select: { name: true, environment: true } } },
      orderBy: { at: "desc" },
      take: 10,
    }),
    can(actor, "namespace:approve")
      ? prisma.namespaceRequest.findMany({
          where: { status: "pending" },
          include: { team: { select: { name: true } }, cluster: { select: { name: true } } },
          orderBy: { createdAt: "asc" },
          take: 10,
        })
      : [],
  ]);
  const approvals = waitingRows
    .filter((row) => can(actor, "deployment:approve", { teamId: row.teamId }) && !(actor.kind === "user" && row.requestedById === actor.userId))
    .slice(0, 10);
  return {
    myHealth: mine
      ? { entries: mine.entries.slice(0, 25), counts: mine.counts, total: mine.total }
      : { entries: [], counts: { unhealthy: 0, degraded: 0, unknown: 0, healthy: 0 }, total: 0 },
    rolloutsInProgress: rolloutRows.map(toDeploymentView),
    approvals: approvals.map(toDeploymentView),
    namespaceRequests: requests.map((row) => ({
      id: row.id,
      kind: row.kind,
      name: row.name,
      team: row.team.name,
      cluster: row.cluster.name,
      requestedBy: row.requestedByName,
      createdAt: row.createdAt.toISOString(),
    })),
    failedDeployments: failedRows.map(toDeploymentView),
    turnedUnhealthy: turns.map((turn) => ({
      service: turn.service,
      namespace: turn.namespace.name,
      environment: turn.namespace.environment,
      fromState: turn.fromState,
      toState: turn.toState,
      at: turn.at.toISOString(),
      message: Array.isArray(turn.reasons) ? ((turn.reasons as { message?: string }[])[0]?.message ?? null) : null,
    })),
    fleet: fleet ? { counts: fleet.counts, total: fleet.total, worst: fleet.entries.filter((entry) => entry.state !== "healthy").slice(0, 8) } : null,
    workspaces: (fleet ?? mine)?.workspaces ?? [],
  };
}
