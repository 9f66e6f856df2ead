// spec.dependsOn → Wharf dependencies. Components become service
// dependencies; resources become external ones, whose kind Backstage does not
// record, so it comes from wharf.io/dependency-kinds or a telling name.
import { wharfAnnotations } from "@/lib/catalog/backstage/annotations";
import type { DependencyAnnotations } from "@/lib/catalog/backstage/map-annotations";
import { inOtherNamespace, parseEntityRef } from "@/lib/catalog/backstage/entity-ref";
import { guessExternalKind, isExternalKind } from "@/lib/catalog/backstage/external-kind";
import { type BackstagePath, type Findings, type Origins } from "@/lib/catalog/backstage/findings";
import { externalKinds } from "@/lib/catalog/service-input";

const dependsOnPath: BackstagePath = ["spec", "dependsOn"];

type MappedDependency = { kind: "service"; service: string } | { kind: string; target: string };

export function mapDependencies(value: unknown, annotations: DependencyAnnotations, origins: Origins, findings: Findings): MappedDependency[] | undefined {
  if (value === undefined || value === null) return undefined;
  origins.set("dependencies", { path: dependsOnPath });
  if (!Array.isArray(value)) {
    findings.error(dependsOnPath, "spec.dependsOn must be a list, such as [component:orders-api, resource:orders-sql].");
    return undefined;
  }
  const dependencies: MappedDependency[] = [];
  const usedKindNames = new Set<string>();
  value.forEach((entry: unknown, index) => {
    const path = [...dependsOnPath, index];
    const dependency = mapDependency(entry, path, annotations, usedKindNames, findings);
    if (dependency === null) return;
    origins.set(`dependencies.${dependencies.length}`, { path });
    dependencies.push(dependency);
  });
  for (const name of annotations.kinds.keys()) {
    if (!usedKindNames.has(name)) {
      findings.warn(
        ["metadata", "annotations", wharfAnnotations.dependencyKinds],
        `${wharfAnnotations.dependencyKinds} names "${name}", which is not a resource ` +
          `in spec.dependsOn; add resource:${name} there or remove it from the annotation.`,
      );
    }
  }
  return dependencies;
}

function mapDependency(
  entry: unknown,
  path: BackstagePath,
  annotations: DependencyAnnotations,
  usedKindNames: Set<string>,
  findings: Findings,
): MappedDependency | null {
  if (typeof entry !== "string") {
    findings.error(path, "Each entry in spec.dependsOn is an entity reference as text, such as component:orders-api.");
    return null;
  }
  const ref = parseEntityRef(entry);
  if (inOtherNamespace(ref)) {
    findings.warn(path, `Wharf has no namespaces; "${entry}" is read as ${ref.kind ?? "entity"} ${ref.name}.`);
  }
  if (ref.kind === null) {
    findings.error(
      path,
      `Write "${entry}" with its kind: component:${entry} for a service, or resource:${entry} for a database, cache, queue or API outside the catalog.`,
    );
    return null;
  }
  // Backstage compares names without case; Wharf slugs are lowercase.
  if (ref.kind === "component") return { kind: "service", service: ref.name.toLowerCase() };
  if (ref.kind !== "resource") {
    findings.warn(path, `"${entry}" is not kept: Wharf keeps dependencies on components and resources only.`);
    return null;
  }
  const target = lookup(annotations.targets, ref.name)?.[1] ?? ref.name;
  return { kind: externalKind(ref.name, path, annotations, usedKindNames, findings), target };
}

function externalKind(name: string, path: BackstagePath, annotations: DependencyAnnotations, usedKindNames: Set<string>, findings: Findings): string {
  const declared = lookup(annotations.kinds, name);
  if (declared !== undefined) {
    const [key, kind] = declared;
    usedKindNames.add(key);
    if (isExternalKind(kind)) return kind;
    findings.error(
      ["metadata", "annotations", wharfAnnotations.dependencyKinds],
      `${wharfAnnotations.dependencyKinds} gives "${kind}" for ${name}; use one of ${externalKinds.join(", ")}.`,
    );
    return "http";
  }
  const guessed = guessExternalKind(name);
  if (guessed !== null) return guessed;
  findings.warn(
    path,
    `Wharf cannot tell what kind of resource ${name} is and imports it as http. To say otherwise, ` +
      `add it to the ${wharfAnnotations.dependencyKinds} annotation, such as '{"${name}": "sql"}'.`,
  );
  return "http";
}

/** The entry for a resource name, matched exactly or else without case, as Backstage matches names. */
function lookup(names: Map<string, string>, name: string): [string, string] | undefined {
  const exact = names.get(name);
  if (exact !== undefined) return [name, exact];
  const lower = name.toLowerCase();
  return [...names.entries()].find(([key]) => key.toLowerCase() === lower);
}
