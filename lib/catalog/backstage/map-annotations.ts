// metadata.annotations → the Wharf fields Backstage has no place for, and the
// repository URL from the annotations Backstage users already write.
import { backstageAnnotations, wharfAnnotations } from "@/lib/catalog/backstage/annotations";
import { type BackstagePath, type Findings, type Origins } from "@/lib/catalog/backstage/findings";
import { isRecord, readText, type YamlRecord } from "@/lib/catalog/backstage/yaml-values";

const annotationsPath: BackstagePath = ["metadata", "annotations"];

/** The JSON annotations that spec.dependsOn needs: resource name → kind, resource name → target. */
export type DependencyAnnotations = { kinds: Map<string, string>; targets: Map<string, string> };

export function mapAnnotations(annotations: YamlRecord, service: YamlRecord, origins: Origins, findings: Findings): DependencyAnnotations {
  const text = (key: string) => readText(annotations, key, annotationsPath, findings);
  const pathOf = (key: string): BackstagePath => [...annotationsPath, key];

  mapRepositoryUrl(text(backstageAnnotations.sourceLocation), text(backstageAnnotations.githubProjectSlug), service, origins, findings);

  const simpleFields = [
    ["tier", wharfAnnotations.tier],
    ["language", wharfAnnotations.language],
    ["appInsightsRoleName", wharfAnnotations.appInsightsRoleName],
  ] as const;
  for (const [wharfField, key] of simpleFields) {
    const value = text(key);
    if (value === undefined) continue;
    service[wharfField] = value;
    origins.set(wharfField, { path: pathOf(key) });
  }

  const deploySpec = readJson(text(wharfAnnotations.deploySpec), wharfAnnotations.deploySpec, findings);
  if (deploySpec !== undefined) {
    service.deploySpec = deploySpec;
    origins.set("deploySpec", { path: pathOf(wharfAnnotations.deploySpec), within: wharfAnnotations.deploySpec });
  }

  return {
    kinds: readNameMap(text(wharfAnnotations.dependencyKinds), wharfAnnotations.dependencyKinds, findings),
    targets: readNameMap(text(wharfAnnotations.dependencyTargets), wharfAnnotations.dependencyTargets, findings),
  };
}

/**
 * backstage.io/source-location wins over github.com/project-slug: it is the
 * more exact of the two (any host, and a folder within a monorepo).
 */
function mapRepositoryUrl(
  sourceLocation: string | undefined,
  projectSlug: string | undefined,
  service: YamlRecord,
  origins: Origins,
  findings: Findings,
): void {
  if (sourceLocation !== undefined) {
    const path = [...annotationsPath, backstageAnnotations.sourceLocation];
    const url = sourceLocation.startsWith("url:") ? sourceLocation.slice(4) : /^https?:\/\//i.test(sourceLocation) ? sourceLocation : null;
    if (url !== null) {
      service.repositoryUrl = url;
      origins.set("repositoryUrl", { path });
      return;
    }
    findings.warn(
      path,
      `${backstageAnnotations.sourceLocation} "${sourceLocation}" is not a url: location, so ` +
        "Wharf does not take the repository from it. Write it as url:https://... to import it.",
    );
  }
  if (projectSlug !== undefined) {
    const path = [...annotationsPath, backstageAnnotations.githubProjectSlug];
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(projectSlug.trim())) {
      findings.error(path, `${backstageAnnotations.githubProjectSlug} must be owner/repository, such as contoso/payments-api.`);
      return;
    }
    service.repositoryUrl = `https://github.com/${projectSlug.trim()}`;
    origins.set("repositoryUrl", { path });
  }
}

function readJson(text: string | undefined, key: string, findings: Findings): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const reason = error instanceof Error ? ` (${error.message})` : "";
    findings.error([...annotationsPath, key], `${key} is not valid JSON${reason}; write it as a JSON object, as Wharf's export does.`);
    return undefined;
  }
}

function readNameMap(text: string | undefined, key: string, findings: Findings): Map<string, string> {
  const value = readJson(text, key, findings);
  const names = new Map<string, string>();
  if (value === undefined) return names;
  if (!isRecord(value) || !Object.values(value).every((entry) => typeof entry === "string")) {
    findings.error([...annotationsPath, key], `${key} must be a JSON object of resource names to text, such as {"orders-db": "sql"}.`);
    return names;
  }
  for (const [name, entry] of Object.entries(value)) names.set(name, entry as string);
  return names;
}
