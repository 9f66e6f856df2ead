// Export of Wharf services as Backstage catalog-info.yaml. Everything Wharf
// keeps that Backstage has no field for goes into wharf.io/* annotations, so
// parseCatalogInfo reads an exported file back to the same services.
import { stringify } from "yaml";
import { backstageAnnotations, wharfAnnotations } from "@/lib/catalog/backstage/annotations";
import { isBackstageName } from "@/lib/catalog/backstage/entity-ref";
import { linkKinds, type ParsedService } from "@/lib/catalog/service-input";

const linkTitles = { runbook: "Runbook", dashboard: "Dashboard", docs: "Docs" } as const;

export function writeCatalogInfo(services: readonly ParsedService[]): string {
  return services.map((service) => stringify(componentOf(service), { lineWidth: 0 })).join("---\n");
}

function componentOf(service: ParsedService) {
  const resources = resourceNames(service);
  const links = linkKinds.flatMap((kind) => {
    const url = service.links[kind];
    return url ? [{ url, title: linkTitles[kind], type: kind }] : [];
  });
  const dependsOn = service.dependencies.map((dependency, index) =>
    dependency.kind === "service" ? `component:${dependency.service}` : `resource:${resources.get(index)}`,
  );
  const annotations = annotationsOf(service, resources);
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "Component",
    metadata: {
      name: service.slug,
      title: service.displayName,
      ...(service.description !== "" ? { description: service.description } : {}),
      ...(service.tags.length > 0 ? { tags: service.tags } : {}),
      ...(links.length > 0 ? { links } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      type: "service",
      lifecycle: service.lifecycle,
      owner: `group:${service.ownerTeam}`,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    },
  };
}

function annotationsOf(service: ParsedService, resources: Map<number, string>): Record<string, string> {
  const annotations: Record<string, string> = {};
  if (service.repositoryUrl !== null) {
    annotations[backstageAnnotations.sourceLocation] = `url:${service.repositoryUrl}`;
    // Backstage's GitHub plugins look for the slug; only a repository root has one.
    const github = /^https:\/\/github\.com\/([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+)$/.exec(service.repositoryUrl);
    if (github?.[1] !== undefined) annotations[backstageAnnotations.githubProjectSlug] = github[1];
  }
  annotations[wharfAnnotations.tier] = service.tier;
  if (service.language !== null) annotations[wharfAnnotations.language] = service.language;
  if (service.appInsightsRoleName !== null) annotations[wharfAnnotations.appInsightsRoleName] = service.appInsightsRoleName;
  if (service.deploySpec !== null) annotations[wharfAnnotations.deploySpec] = JSON.stringify(deploySpecInOrder(service.deploySpec));

  const kinds: Record<string, string> = {};
  const targets: Record<string, string> = {};
  service.dependencies.forEach((dependency, index) => {
    const name = resources.get(index);
    if (dependency.kind === "service" || name === undefined) return;
    kinds[name] = dependency.kind;
    if (name !== dependency.target) targets[name] = dependency.target;
  });
  if (Object.keys(kinds).length > 0) annotations[wharfAnnotations.dependencyKinds] = JSON.stringify(kinds);
  if (Object.keys(targets).length > 0) annotations[wharfAnnotations.dependencyTargets] = JSON.stringify(targets);
  return Object.fromEntries(Object.entries(annotations).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The deploy spec's keys in the schema's order, whatever order the caller built it in. */
function deploySpecInOrder(spec: NonNullable<ParsedService["deploySpec"]>) {
  const { imageRepository, port, replicas, cpuRequest, cpuLimit, memoryRequest, memoryLimit, readinessPath, livenessPath } = spec;
  return { imageRepository, port, replicas, cpuRequest, cpuLimit, memoryRequest, memoryLimit, readinessPath, livenessPath };
}

/**
 * A Backstage resource name for each external dependency (by its index).
 * Targets such as https://api.stripe.com/v1 are not valid Backstage names, and
 * sql:orders and redis:orders would share one; those get a made-up name and
 * keep their target in wharf.io/dependency-targets.
 */
function resourceNames(service: ParsedService): Map<number, string> {
  const names = new Map<number, string>();
  const taken = new Set<string>();
  service.dependencies.forEach((dependency, index) => {
    if (dependency.kind === "service") return;
    const base = isBackstageName(dependency.target) ? dependency.target : nameFrom(dependency.target);
    let name = base;
    // Backstage compares names without case.
    for (let suffix = 2; taken.has(name.toLowerCase()); suffix++) name = `${base.slice(0, 60).replace(/[-_.]+$/, "")}-${suffix}`;
    taken.add(name.toLowerCase());
    names.set(index, name);
  });
  return names;
}

function nameFrom(target: string): string {
  const name = target
    .replace(/^[a-z]+:\/\//i, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 56)
    .replace(/-+$/, "");
  return name === "" ? "dependency" : name;
}
