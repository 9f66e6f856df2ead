// One Backstage Component entity → the object Wharf's service schema checks.
// Problems are collected against Backstage paths; the schema's own issues are
// added afterwards by report-service-issues.ts.
import { inOtherNamespace, parseEntityRef } from "@/lib/catalog/backstage/entity-ref";
import { type BackstagePath, type Findings, type Origins } from "@/lib/catalog/backstage/findings";
import { mapAnnotations } from "@/lib/catalog/backstage/map-annotations";
import { mapDependencies } from "@/lib/catalog/backstage/map-dependencies";
import { mapLinks } from "@/lib/catalog/backstage/map-links";
import { field, isRecord, readText, type YamlRecord } from "@/lib/catalog/backstage/yaml-values";
import { lifecycles, serviceSlug } from "@/lib/catalog/service-input";

export type MappedComponent = { service: YamlRecord; origins: Origins };

/** Relations Wharf has no place for; named in one warning so users know they were seen. */
const relationsNotKept = ["system", "subcomponentOf", "providesApis", "consumesApis"] as const;

export function mapComponent(entity: YamlRecord, findings: Findings): MappedComponent {
  const service: YamlRecord = { tier: "standard" };
  const origins: Origins = new Map();
  const annotationsValue = mapMetadata(section(entity, "metadata", "name", findings), service, origins, findings);
  const annotations = mapAnnotations(annotationsValue, service, origins, findings);
  const spec = section(entity, "spec", "owner and lifecycle", findings);
  mapOwner(readText(spec, "owner", ["spec"], findings), service, origins, findings);
  mapLifecycle(readText(spec, "lifecycle", ["spec"], findings), service, origins, findings);
  const type = readText(spec, "type", ["spec"], findings);
  if (type !== undefined && type !== "service") {
    findings.warn(["spec", "type"], `spec.type is "${type}"; Wharf has no component types and imports it as a service.`);
  }
  const dependencies = mapDependencies(field(spec, "dependsOn"), annotations, origins, findings);
  if (dependencies !== undefined) service.dependencies = dependencies;
  const ignored = relationsNotKept.filter((key) => field(spec, key) !== undefined);
  const firstIgnored = ignored[0];
  if (firstIgnored !== undefined) {
    findings.warn(
      ["spec", firstIgnored],
      `Wharf does not keep ${ignored.map((key) => `spec.${key}`).join(", ")}; ${ignored.length === 1 ? "it is" : "they are"} not imported.`,
    );
  }
  return { service, origins };
}

function section(entity: YamlRecord, key: "metadata" | "spec", needs: string, findings: Findings): YamlRecord {
  const value = field(entity, key);
  if (isRecord(value)) return value;
  findings.error([key], value === undefined || value === null ? `Add ${key} with its ${needs}.` : `${key} must be a mapping with its ${needs}.`);
  return {};
}

/** Returns the annotations, which the spec needs too. */
function mapMetadata(metadata: YamlRecord, service: YamlRecord, origins: Origins, findings: Findings): YamlRecord {
  const path: BackstagePath = ["metadata"];
  const name = readText(metadata, "name", path, findings);
  origins.set("slug", { path: ["metadata", "name"] });
  if (name === undefined) {
    if (!findings.hasErrorAt(["metadata"]) && !findings.hasErrorAt(["metadata", "name"]))
      findings.error(["metadata", "name"], "Add metadata.name: it becomes the service's slug in Wharf, such as payments-api.");
  } else {
    checkName(name, findings);
    service.slug = name;
  }

  const title = readText(metadata, "title", path, findings);
  service.displayName = title ?? name;
  origins.set("displayName", { path: ["metadata", title === undefined ? "name" : "title"] });

  const description = readText(metadata, "description", path, findings);
  if (description !== undefined) service.description = description;
  origins.set("description", { path: ["metadata", "description"] });

  const namespace = readText(metadata, "namespace", path, findings);
  if (namespace !== undefined && namespace.toLowerCase() !== "default") {
    findings.warn(
      ["metadata", "namespace"],
      `Wharf has no namespaces; metadata.namespace ${namespace} is ignored and the service is imported as ${name ?? "its name"}.`,
    );
  }

  const tags = field(metadata, "tags");
  origins.set("tags", { path: ["metadata", "tags"] });
  if (Array.isArray(tags)) {
    service.tags = tags;
    tags.forEach((_, index) => origins.set(`tags.${index}`, { path: ["metadata", "tags", index] }));
  } else if (tags !== undefined && tags !== null) {
    findings.error(["metadata", "tags"], "metadata.tags must be a list, such as [java, payments].");
  }

  origins.set("links", { path: ["metadata", "links"] });
  const links = mapLinks(field(metadata, "links"), origins, findings);
  if (links !== undefined) service.links = links;

  const annotations = field(metadata, "annotations");
  if (isRecord(annotations)) return annotations;
  if (annotations !== undefined && annotations !== null)
    findings.error(["metadata", "annotations"], "metadata.annotations must be a mapping of names to text.");
  return {};
}

/** Backstage allows names Wharf slugs do not (uppercase, _ and .); say which slug would do. */
function checkName(name: string, findings: Findings): void {
  const result = serviceSlug.safeParse(name);
  if (result.success) return;
  const reason = result.error.issues[0]?.message ?? "";
  const suggestion = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+/, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  const rename = suggestion !== "" && suggestion !== name ? ` Rename it to ${suggestion} (and the references to it in other entities).` : "";
  findings.error(["metadata", "name"], `Wharf cannot use "${name}" as a service slug. ${reason}${rename}`);
}

function mapOwner(owner: string | undefined, service: YamlRecord, origins: Origins, findings: Findings): void {
  const path: BackstagePath = ["spec", "owner"];
  origins.set("ownerTeam", { path });
  if (owner === undefined) {
    if (!findings.hasErrorAt(["spec"]) && !findings.hasErrorAt(path))
      findings.error(path, "Add spec.owner: the Wharf team that owns the service, such as group:payments.");
    return;
  }
  const ref = parseEntityRef(owner);
  if (ref.kind !== null && ref.kind !== "group") {
    findings.error(path, `spec.owner is a ${ref.kind}, but Wharf services are owned by teams: set it to the team's group, such as group:payments.`);
    return;
  }
  if (inOtherNamespace(ref)) findings.warn(path, `Wharf has no namespaces; spec.owner ${owner} is read as team ${ref.name.toLowerCase()}.`);
  // Backstage compares names without case; Wharf team slugs are lowercase.
  service.ownerTeam = ref.name.toLowerCase();
}

function mapLifecycle(lifecycle: string | undefined, service: YamlRecord, origins: Origins, findings: Findings): void {
  const path: BackstagePath = ["spec", "lifecycle"];
  origins.set("lifecycle", { path });
  if (lifecycle === undefined) {
    if (!findings.hasErrorAt(["spec"]) && !findings.hasErrorAt(path)) findings.error(path, `Add spec.lifecycle: one of ${lifecycles.join(", ")}.`);
    return;
  }
  if (!(lifecycles as readonly string[]).includes(lifecycle)) {
    findings.error(path, `spec.lifecycle "${lifecycle}" is not a Wharf lifecycle; use one of ${lifecycles.join(", ")}.`);
    return;
  }
  service.lifecycle = lifecycle;
}
