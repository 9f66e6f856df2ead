// The register/edit form's flat fields, to and from Wharf's service input.
// Field names are the input's paths ("deploySpec.cpuLimit"), so an error's
// path names the form field it belongs to.
import { AppError } from "@/lib/errors";
import { externalKinds, type ParsedService, type ServiceInput } from "@/lib/catalog/service-input";

export type ServiceFormValues = Record<string, string>;

const specFields = ["imageRepository", "port", "replicas", "cpuRequest", "cpuLimit", "memoryRequest", "memoryLimit", "readinessPath", "livenessPath"] as const;
const kinds = new Set<string>(["service", ...externalKinds]);

function parseDependencies(text: string): ServiceInput["dependencies"] {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.map((line, index) => {
    const colon = line.indexOf(":");
    const kind = line.slice(0, colon).trim().toLowerCase();
    const target = line.slice(colon + 1).trim();
    if (colon < 1 || !kinds.has(kind) || !target) {
      throw new AppError(
        "invalid_input",
        `Dependency line ${index + 1} ("${line}") must be kind:target, with kind one of ` +
          `service, ${externalKinds.join(", ")}; for example service:ledger or sql:payments-db.`,
        {
          path: ["dependencies", index],
        },
      );
    }
    return kind === "service" ? { kind: "service", service: target } : { kind: kind as (typeof externalKinds)[number], target };
  });
}

const orNull = (value: string | undefined) => (value && value.trim() !== "" ? value.trim() : null);

export function serviceFromForm(values: ServiceFormValues): ServiceInput {
  const hasSpec = specFields.some((field) => (values[`deploySpec.${field}`] ?? "").trim() !== "");
  return {
    slug: values.slug ?? "",
    displayName: values.displayName ?? "",
    description: values.description ?? "",
    ownerTeam: values.ownerTeam ?? "",
    repositoryUrl: orNull(values.repositoryUrl),
    language: orNull(values.language),
    tier: (values.tier ?? "") as ServiceInput["tier"],
    lifecycle: (values.lifecycle ?? "") as ServiceInput["lifecycle"],
    tags: (values.tags ?? "")
      .split(/[,\s]+/)
      .map((tag) => tag.trim().toLowerCase())
      .filter(Boolean),
    links: Object.fromEntries(
      (["runbook", "dashboard", "docs"] as const).flatMap((kind) => (orNull(values[`links.${kind}`]) ? [[kind, orNull(values[`links.${kind}`])]] : [])),
    ),
    dependencies: parseDependencies(values.dependencies ?? ""),
    appInsightsRoleName: orNull(values.appInsightsRoleName),
    deploySpec: hasSpec
      ? (Object.fromEntries(specFields.map((field) => [field, (values[`deploySpec.${field}`] ?? "").trim()])) as unknown as ServiceInput["deploySpec"])
      : null,
  };
}

export function formFromService(service: ParsedService): ServiceFormValues {
  const values: ServiceFormValues = {
    slug: service.slug,
    displayName: service.displayName,
    description: service.description,
    ownerTeam: service.ownerTeam,
    repositoryUrl: service.repositoryUrl ?? "",
    language: service.language ?? "",
    tier: service.tier,
    lifecycle: service.lifecycle,
    tags: service.tags.join(", "),
    "links.runbook": service.links.runbook ?? "",
    "links.dashboard": service.links.dashboard ?? "",
    "links.docs": service.links.docs ?? "",
    dependencies: service.dependencies.map((d) => (d.kind === "service" ? `service:${d.service}` : `${d.kind}:${d.target}`)).join("\n"),
    appInsightsRoleName: service.appInsightsRoleName ?? "",
  };
  for (const field of specFields) values[`deploySpec.${field}`] = service.deploySpec ? String(service.deploySpec[field]) : "";
  return values;
}
