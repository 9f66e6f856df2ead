// One YAML document → one CatalogDocument: YAML problems, the kind check, the
// Backstage → Wharf mapping and Wharf's schema, each problem at its line.
import { type Document, isNode, isScalar, type LineCounter } from "yaml";
import { componentApiVersions } from "@/lib/catalog/backstage/annotations";
import type { CatalogDocument, CatalogError } from "@/lib/catalog/backstage/catalog-document";
import { type BackstagePath, type Finding, Findings, formatBackstagePath } from "@/lib/catalog/backstage/findings";
import { mapComponent } from "@/lib/catalog/backstage/map-component";
import { reportServiceIssues } from "@/lib/catalog/backstage/report-service-issues";
import { field, isRecord, type YamlRecord } from "@/lib/catalog/backstage/yaml-values";
import { serviceInput } from "@/lib/catalog/service-input";
import { findControlCharacter } from "@/lib/validation";

/** Alias expansions allowed per document; a real catalog file uses a handful, a "billion laughs" file needs thousands. */
export const MAX_YAML_ALIASES = 100;

/** Null for an empty document (only comments, or nothing between two `---`), which is skipped. */
export function readCatalogDocument(document: Document.Parsed, index: number, lineCounter: LineCounter): CatalogDocument | null {
  const contents = document.contents;
  const empty = contents === null || (isScalar(contents) && contents.value === null);
  if (empty && document.errors.length === 0) return null;

  const line = lineCounter.linePos(contents?.range[0] ?? document.range[0]).line;
  const result: CatalogDocument = {
    index,
    line,
    errors: [],
    warnings: document.warnings.map((warning) => ({ line: lineCounter.linePos(warning.pos[0]).line, message: warning.message })),
  };
  const name: unknown = document.getIn(["metadata", "name"]);
  if (typeof name === "string") result.name = name;

  if (document.errors.length > 0) {
    result.errors = document.errors.map((error) => ({ line: lineCounter.linePos(error.pos[0]).line, message: yamlErrorMessage(error.code, error.message) }));
    return result;
  }

  let entity: unknown;
  try {
    entity = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    result.errors.push({ line, message: expansionErrorMessage(error) });
    return result;
  }

  const findings = new Findings();
  if (!isRecord(entity)) {
    findings.error([], "This document is not a Backstage entity: write a mapping with apiVersion, kind, metadata and spec.");
  } else if (findControlCharacter(entity)) {
    // PostgreSQL refuses NUL in text: refused here, the preview would promise a create that the apply cannot do.
    findings.error(findControlCharacter(entity)!, "This value contains a control character (such as NUL); remove it from the file.");
  } else if (checkKind(entity, findings)) {
    const { service, origins } = mapComponent(entity, findings);
    const parsed = serviceInput.safeParse(service);
    if (!parsed.success) reportServiceIssues(parsed.error.issues, service, origins, findings);
    else if (findings.errors.length === 0) result.service = parsed.data;
  }
  const at = (finding: Finding): CatalogError => ({
    line: lineOf(document, lineCounter, finding.path, line),
    ...(finding.path.length > 0 ? { path: formatBackstagePath(finding.path) } : {}),
    message: finding.message,
  });
  // In file order, so the list reads top to bottom alongside the file.
  result.errors = [...result.errors, ...findings.errors.map(at)].sort((a, b) => a.line - b.line);
  result.warnings = [...result.warnings, ...findings.warnings.map(at)].sort((a, b) => a.line - b.line);
  return result;
}

/** Whether the entity is a Component Wharf reads; otherwise says why not. */
function checkKind(entity: YamlRecord, findings: Findings): boolean {
  const kind = field(entity, "kind");
  if (typeof kind !== "string") {
    findings.error(["kind"], "Add kind: Component; Wharf imports Backstage Components.");
    return false;
  }
  // Backstage itself compares kinds without case.
  if (kind.toLowerCase() !== "component") {
    findings.error(["kind"], `kind ${kind} is not imported: Wharf imports kind Component.`);
    return false;
  }
  const apiVersion = field(entity, "apiVersion");
  if (typeof apiVersion !== "string" || !(componentApiVersions as readonly string[]).includes(apiVersion)) {
    const given = typeof apiVersion === "string" ? `apiVersion ${apiVersion} is not one Wharf reads` : "Add apiVersion";
    findings.error(["apiVersion"], `${given}: write apiVersion: ${componentApiVersions.join(" or ")}.`);
    return false;
  }
  return true;
}

/** The line of the deepest node on the path that the document has: a missing field is reported where its parent is. */
function lineOf(document: Document.Parsed, lineCounter: LineCounter, path: BackstagePath, fallback: number): number {
  for (let length = path.length; length > 0; length--) {
    const node: unknown = document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return fallback;
}

function yamlErrorMessage(code: string, message: string): string {
  if (code === "RESOURCE_EXHAUSTION") return "This document nests too deeply to read; write the entity with ordinary, shallow YAML.";
  return `This is not valid YAML: ${message.replace(/\.$/, "")}. Fix the YAML at this line or just above it.`;
}

function expansionErrorMessage(error: unknown): string {
  if (error instanceof Error && /excessive alias count/i.test(error.message)) {
    return "This document uses too many YAML aliases (a 'billion laughs' file?); Wharf refuses it. Write the values out instead of repeating aliases.";
  }
  return "This document nests too deeply to read; write the entity with ordinary, shallow YAML.";
}
