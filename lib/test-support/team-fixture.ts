// The setup integration tests share, each piece through the real code path: a
// team, its people (user rows Wharf's sign-in would have written, or actors
// alone where no row is read), services with a small deploy spec, a namespace
// made ready as Wharf makes one (requested by a member, approved by an admin,
// provisioned on a sandbox cluster), and a workload applied straight onto a
// sandbox cluster, for the tests that want its telemetry and not a Wharf
// deployment. Nothing here is a mock.
import { randomBytes, randomUUID } from "node:crypto";
import type { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { createSession } from "@/lib/auth/session";
import type { DeploySpec } from "@/lib/catalog/service-input";
import { smallDeploySpec } from "./deploy-spec";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";
import { provisionNamespace } from "@/lib/namespaces/provision-namespace";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { applyObject } from "@/lib/kubernetes/apply";
import { renderDeployment, type RenderedDependency } from "@/lib/deployments/render";

export { smallDeploySpec };

export type TeamRef = UserActor["teams"][number];

/** A team whose members are the users in Entra group `group` (none without one). */
export async function createTeam(slug: string, name: string, { group, costCenter }: { group?: string; costCenter?: string } = {}): Promise<TeamRef> {
  const team = await getPrisma().team.create({ data: { slug, name, entraGroupIds: group ? [group] : [], ...(costCenter && { costCenter }) } });
  return { id: team.id, slug: team.slug, name: team.name };
}

/**
 * A user row as sign-in writes it, and its actor: in `group` when it has `teams` (the teams whose Entra group that is),
 * a platform admin by the admin app role. The address is the name's first word with a random part: unique per call.
 */
export async function createPerson(name: string, { isAdmin = false, teams = [], group }: { isAdmin?: boolean; teams?: TeamRef[]; group?: string } = {}) {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name,
      email: `${name.split(" ")[0]!.toLowerCase()}-${randomBytes(3).toString("hex")}@example.com`,
      groupIds: teams.length && group ? [group] : [],
      appRoles: isAdmin ? [getConfig().identity.adminAppRole] : [],
      lastSignInAt: new Date(),
    },
  });
  const actor: UserActor = { kind: "user", userId: row.id, name, email: row.email, isAdmin, teams };
  return actor;
}

/** A session for a person's row: the token a signed-in browser sends. */
export async function signIn(person: UserActor): Promise<string> {
  return (await createSession(person.userId, getConfig().session)).token;
}

/** People who sign in, in `group` when they have teams, and each one's session token. */
export function peopleWhoSignIn(group: string) {
  const tokens = new Map<string, string>();
  return {
    async add(name: string, options: { isAdmin?: boolean; teams?: TeamRef[] } = {}): Promise<UserActor> {
      const actor = await createPerson(name, { group, ...options });
      tokens.set(actor.userId, await signIn(actor));
      return actor;
    },
    tokenOf: (actor: UserActor): string => tokens.get(actor.userId)!,
  };
}

/** An actor with no user row, for use cases that read only the actor. */
export function actorOnly(name: string, { isAdmin = false, teams = [] }: { isAdmin?: boolean; teams?: TeamRef[] } = {}): UserActor {
  return { kind: "user", userId: randomUUID(), name, email: `${name.split(" ")[0]!.toLowerCase()}@example.com`, isAdmin, teams };
}

/** A catalog row (no import, no audit) owned by `ownerTeamId` that can be deployed with `deploySpec`. */
export async function createServiceRow(slug: string, ownerTeamId: string, deploySpec: DeploySpec, { displayName = slug }: { displayName?: string } = {}) {
  await getPrisma().service.create({
    data: {
      slug,
      displayName,
      ownerTeamId,
      tier: "standard",
      lifecycle: "production",
      tags: [],
      searchText: slug,
      deploySpec: deploySpec as Prisma.InputJsonValue,
    },
  });
  return slug;
}

/** The sandbox's clusters as discovery stores them, each named one given the environment beside it. */
export async function discoverSandboxClusters(environments: Record<string, string> = {}): Promise<void> {
  await refreshClusters({ actor: { kind: "system", name: "test" } });
  for (const [name, environment] of Object.entries(environments)) {
    await getPrisma().cluster.updateMany({ where: { name }, data: { environment } });
  }
}

/**
 * A namespace as Wharf makes one ready: `requester` (a member of the team, or another admin: the policy wants the
 * approver to be someone else) asks for it with the suggested quota and defaults, `approver` approves it, and the
 * provisioning job's step runs once against the sandbox cluster. Returns the namespace's id.
 */
export async function readyNamespace(input: {
  requester: UserActor;
  approver: UserActor;
  teamId: string;
  name: string;
  cluster?: string;
  justification: string;
}): Promise<string> {
  const cluster = await getPrisma().cluster.findFirstOrThrow({ where: { name: input.cluster ?? "aks-dev-weu" } });
  const request = await requestNamespace({
    actor: input.requester,
    input: {
      teamId: input.teamId,
      clusterId: cluster.id,
      name: input.name,
      quota: suggestedQuota,
      containerDefaults: suggestedDefaults,
      justification: input.justification,
    },
  });
  const { namespaceId } = await decideNamespaceRequest({ actor: input.approver, requestId: request.id, input: { decision: "approve" } });
  await provisionNamespace({ namespaceId: namespaceId!, attempt: 1 });
  return namespaceId!;
}

/**
 * Services running on a sandbox cluster without Wharf's deployment flow: the clusters discovered, a namespace, and
 * each service's Deployment rendered as Wharf renders it (role name = slug) and applied. The sandbox's telemetry
 * follows what runs, so their requests and dependency calls reach Log Analytics. Returns the cluster's kubeconfig.
 */
export async function runOnSandboxCluster(input: {
  cluster?: string;
  namespace: string;
  team: string;
  services: { slug: string; imageRepository: string; dependencies?: RenderedDependency[] }[];
  replicas?: number;
}) {
  await refreshClusters({ actor: { kind: "system", name: "test" } });
  const kube = await clusterKubeConfig(await getPrisma().cluster.findFirstOrThrow({ where: { name: input.cluster ?? "aks-dev-weu" } }));
  await applyObject(kube, { apiVersion: "v1", kind: "Namespace", metadata: { name: input.namespace } });
  for (const service of input.services) {
    const { deployment } = renderDeployment({
      service: { slug: service.slug, appInsightsRoleName: service.slug, dependencies: service.dependencies ?? [] },
      deploySpec: smallDeploySpec(service.imageRepository, { replicas: input.replicas ?? 1 }),
      team: { slug: input.team },
      namespace: { name: input.namespace },
      image: { tag: "1.0.0" },
      changeCause: "Deploy 1.0.0",
      revision: 1,
    });
    await applyObject(kube, deployment as never);
  }
  return kube;
}
