import type { Prisma } from "@/lib/db/generated/client";
import { externalKinds, type DeploySpec, type DependencyInput, type ParsedService } from "@/lib/catalog/service-input";
import { oneOf } from "@/lib/db/one-of";

export const serviceInclude = {
  ownerTeam: { select: { id: true, slug: true, name: true } },
  dependencies: { orderBy: { position: "asc" } },
} satisfies Prisma.ServiceInclude;

export type ServiceRow = Prisma.ServiceGetPayload<{ include: typeof serviceInclude }>;

/** What pages, the API, exports and the audit log see of a service. */
export interface ServiceView {
  id: string;
  slug: string;
  displayName: string;
  description: string;
  ownerTeam: { id: string; slug: string; name: string };
  repositoryUrl: string | null;
  language: string | null;
  tier: ParsedService["tier"];
  lifecycle: ParsedService["lifecycle"];
  tags: string[];
  links: ParsedService["links"];
  dependencies: DependencyInput[];
  appInsightsRoleName: string;
  appInsightsRoleNameSet: boolean;
  deploySpec: DeploySpec | null;
  retiredAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function toServiceView(row: ServiceRow): ServiceView {
  return {
    id: row.id,
    slug: row.slug,
    displayName: row.displayName,
    description: row.description,
    ownerTeam: row.ownerTeam,
    repositoryUrl: row.repositoryUrl,
    language: row.language,
    tier: row.tier as ServiceView["tier"],
    lifecycle: row.lifecycle as ServiceView["lifecycle"],
    tags: row.tags,
    links: row.links as ServiceView["links"],
    dependencies: row.dependencies.map((d) =>
      d.kind === "service" ? { kind: "service", service: d.target } : { kind: oneOf(externalKinds, d.kind, "ServiceDependency.kind"), target: d.target },
    ),
    appInsightsRoleName: row.appInsightsRoleName ?? row.slug,
    appInsightsRoleNameSet: row.appInsightsRoleName !== null,
    deploySpec: row.deploySpec as DeploySpec | null,
    retiredAt: row.retiredAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** The service as Wharf's input schema describes it: what an export writes and an edit form starts from. */
export function toParsedService(view: ServiceView): ParsedService {
  return {
    slug: view.slug,
    displayName: view.displayName,
    description: view.description,
    ownerTeam: view.ownerTeam.slug,
    repositoryUrl: view.repositoryUrl,
    language: view.language,
    tier: view.tier,
    lifecycle: view.lifecycle,
    tags: view.tags,
    links: view.links,
    dependencies: view.dependencies,
    appInsightsRoleName: view.appInsightsRoleNameSet ? view.appInsightsRoleName : null,
    deploySpec: view.deploySpec,
  };
}

export function searchTextOf(service: Pick<ParsedService, "slug" | "displayName" | "description" | "tags">): string {
  return [service.slug, service.displayName, service.description, ...service.tags].join(" ").toLowerCase();
}
