// What a deployment is about, loaded and checked the same way for a preview,
// a deployment, an approval and a rollback: the service, the namespace (with
// its cluster and team), whether the actor may act on it, and what the
// namespace's LimitRange, ResourceQuota and live Deployment say now.
import { z } from "zod";
import type { Prisma } from "@/lib/db/generated/client";
import { getPrisma } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { can, forbidden, teamsActorActsFor, type Action, type Actor } from "@/lib/auth/permissions";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { clusterKubeConfig } from "@/lib/kubernetes/cluster-access";
import { readObject } from "@/lib/kubernetes/apply";
import { KubernetesApiError } from "@/lib/kubernetes/api-error";
import { objectNames } from "@/lib/namespaces/render-namespace";
import type { NamespaceRef } from "./deploy-input";
import type { PolicyNamespace } from "./policy";
import type { ContainerDefaults, DeploymentShape, ResourceList } from "./quota-demand";
import type { RenderableDeploySpec, RenderedManifest } from "./render";

export const targetNamespaceInclude = { cluster: true, team: true } satisfies Prisma.NamespaceInclude;
export type TargetNamespace = Prisma.NamespaceGetPayload<{ include: typeof targetNamespaceInclude }>;
export const targetServiceInclude = { dependencies: { orderBy: { position: "asc" } } } satisfies Prisma.ServiceInclude;
export type TargetService = Prisma.ServiceGetPayload<{ include: typeof targetServiceInclude }>;

export interface DeploymentTarget {
  service: TargetService;
  namespace: TargetNamespace;
}

/**
 * Loads the service and namespace and checks `action` against the namespace's
 * team; a refusal is audited. A namespace named by cluster and name is looked
 * for among the service's team's namespaces only, once the actor may act for
 * that team: no answer says whether another team has a namespace of that name.
 */
export async function loadTarget({
  actor,
  serviceSlug,
  namespace: ref,
  action,
  auditAction,
}: {
  actor: Actor;
  serviceSlug: string;
  namespace: NamespaceRef;
  action: Action;
  auditAction: string;
}): Promise<DeploymentTarget> {
  const prisma = getPrisma();
  const service = await prisma.service.findUnique({ where: { slug: serviceSlug }, include: targetServiceInclude });
  if (!service)
    throw new AppError("not_found", `There is no service "${serviceSlug}" in the catalog; register it first, or check the slug.`, { path: ["service"] });
  if ("cluster" in ref) return { service, namespace: await namespaceByName(actor, service, ref, action, auditAction) };
  const namespace = z.uuid().safeParse(ref.namespaceId).success
    ? await prisma.namespace.findUnique({ where: { id: ref.namespaceId }, include: targetNamespaceInclude })
    : null;
  if (!namespace) throw new AppError("not_found", "There is no such namespace; pick one from your team's namespaces.", { path: ["namespaceId"] });
  if (!can(actor, action, { teamId: namespace.teamId })) {
    await recordAuditEvent(prisma, {
      actor,
      action: auditAction,
      resourceType: "namespace",
      resourceId: namespace.id,
      outcome: "denied",
      detail: `${service.slug} to ${namespace.name}`,
    });
    throw forbidden(action);
  }
  return { service, namespace };
}

async function namespaceByName(
  actor: Actor,
  service: TargetService,
  ref: { cluster: string; namespace: string },
  action: Action,
  auditAction: string,
): Promise<TargetNamespace> {
  const prisma = getPrisma();
  if (!can(actor, action, { teamId: service.ownerTeamId })) {
    await recordAuditEvent(prisma, {
      actor,
      action: auditAction,
      resourceType: "service",
      resourceId: service.slug,
      outcome: "denied",
      detail: `${service.slug} to ${ref.namespace} on ${ref.cluster}`,
    });
    throw forbidden(action);
  }
  const teamNamespaces = await prisma.namespace.findMany({
    where: { teamId: service.ownerTeamId, status: { not: "decommissioned" } },
    include: targetNamespaceInclude,
    orderBy: { name: "asc" },
  });
  const matches = teamNamespaces.filter((namespace) => namespace.cluster.name === ref.cluster && namespace.name === ref.namespace);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    const where = matches.map((namespace) => `${namespace.cluster.subscriptionId}/${namespace.cluster.resourceGroup}`).join(" and ");
    throw new AppError(
      "invalid_input",
      `Two clusters named ${ref.cluster} (in ${where}) each have a namespace ${ref.namespace} ` +
        `of ${service.slug}'s team; give namespaceId instead of cluster and namespace.`,
      { path: ["cluster"] },
    );
  }
  const shown = teamNamespaces.slice(0, 10).map((namespace) => `${namespace.name} on ${namespace.cluster.name}`);
  const more = teamNamespaces.length > shown.length ? ` and ${teamNamespaces.length - shown.length} more` : "";
  const has = shown.length
    ? `Its team, ${teamNamespaces[0]!.team.name}, has ${shown.join(", ")}${more}.`
    : "Its team has no namespaces yet; request one under Namespaces first.";
  throw new AppError(
    "invalid_input",
    `${service.slug}'s team has no namespace ${ref.namespace} on a cluster named ${ref.cluster}; give both names as Wharf lists them. ${has}`,
    {
      path: [teamNamespaces.some((namespace) => namespace.cluster.name === ref.cluster) ? "namespace" : "cluster"],
    },
  );
}

/** A deployment needs a namespace Wharf has finished provisioning; the 409 names the field the request used (`ref`). */
export function assertNamespaceReady(namespace: TargetNamespace, ref: NamespaceRef): void {
  if (namespace.status !== "ready") {
    throw new AppError("conflict", `${namespace.name} is ${namespace.status}, not ready; deploy once it is ready (see its page in Namespaces).`, {
      path: ["namespaceId" in ref ? "namespaceId" : "namespace"],
    });
  }
}

export function deploySpecOf(service: TargetService): RenderableDeploySpec {
  if (!service.deploySpec) {
    throw new AppError(
      "invalid_input",
      `${service.slug} has no deploy spec; add the image repository, port, resources and probe paths to it in the catalog first.`,
      { path: ["service"] },
    );
  }
  return service.deploySpec as unknown as RenderableDeploySpec;
}

/** The teams the policy counts the actor in: a platform admin (or Wharf itself) may deploy for any team, as `can()` decided. */
export function actorTeamIds(actor: Actor, namespace: TargetNamespace): string[] {
  const teams = teamsActorActsFor(actor);
  return teams === "all" ? [namespace.teamId] : teams;
}

interface LimitRangeJson {
  spec?: { limits?: { type?: string; max?: ResourceList; min?: ResourceList; default?: ResourceList; defaultRequest?: ResourceList }[] };
}

interface QuotaJson {
  spec?: { hard?: ResourceList };
  status?: { hard?: ResourceList; used?: ResourceList };
}

export interface NamespaceState {
  policy: PolicyNamespace;
  /** The Deployment running now, or null for a first deployment. */
  current: DeploymentShape | null;
}

/** Reads Wharf's LimitRange and ResourceQuota and the live Deployment; a cluster that does not answer is a 503 that says so. */
export async function readNamespaceState(namespace: TargetNamespace, serviceSlug: string): Promise<NamespaceState> {
  try {
    const config = await clusterKubeConfig(namespace.cluster);
    const inNamespace = (apiVersion: string, kind: string, name: string) => ({ apiVersion, kind, metadata: { name, namespace: namespace.name } });
    const [limitRange, quota, live] = await Promise.all([
      readObject<LimitRangeJson>(config, inNamespace("v1", "LimitRange", objectNames.limits)),
      readObject<QuotaJson>(config, inNamespace("v1", "ResourceQuota", objectNames.quota)),
      readObject<DeploymentShape>(config, inNamespace("apps/v1", "Deployment", serviceSlug)),
    ]);
    const container = limitRange?.spec?.limits?.find((limit) => limit.type === "Container");
    const defaults: ContainerDefaults = {};
    if (container?.defaultRequest) defaults.requests = container.defaultRequest;
    if (container?.default) defaults.limits = container.default;
    return {
      policy: {
        teamId: namespace.teamId,
        environment: namespace.environment,
        limitRange: { max: container?.max, min: container?.min, defaults },
        // A quota the controller has not counted yet has no status: nothing is used.
        quota: { hard: quota?.status?.hard ?? quota?.spec?.hard ?? {}, used: quota?.status?.used ?? {} },
      },
      current: live,
    };
  } catch (error) {
    if (error instanceof KubernetesApiError) {
      throw new AppError(
        "dependency_unavailable",
        `Wharf could not read ${namespace.name}'s quota and limits on ${namespace.cluster.name}, ` +
          `so it cannot check this deployment: ${error.message}. Try again in a minute.`,
        { cause: error, retryAfterSeconds: 60 },
      );
    }
    throw error;
  }
}

export interface LastApplied {
  revision: number;
  yaml: string;
  image: string;
  deployment: RenderedManifest["deployment"];
}

/** The manifest Wharf applied last for this service in this namespace, to diff against; null before the first. */
export async function lastAppliedManifest(
  db: Pick<Prisma.TransactionClient, "deployment">,
  serviceId: string,
  namespaceId: string,
): Promise<LastApplied | null> {
  const last = await db.deployment.findFirst({
    where: { serviceId, namespaceId, startedAt: { not: null } },
    orderBy: { revision: "desc" },
    select: { revision: true, manifestYaml: true, image: true, manifest: true },
  });
  return last
    ? { revision: last.revision, yaml: last.manifestYaml, image: last.image, deployment: (last.manifest as unknown as RenderedManifest).deployment }
    : null;
}
