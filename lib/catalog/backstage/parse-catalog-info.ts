// Import of Backstage catalog-info.yaml files: every document is read on its
// own, so one bad entity does not hide the good ones. Pure: no database, no
// I/O; registry checks (does the owner team exist, ...) happen in the caller.
import type { CatalogDocument, ParsedCatalogFile } from "@/lib/catalog/backstage/catalog-document";
import { decodeCatalogInput } from "@/lib/catalog/backstage/decode-catalog-input";
import { readCatalogDocument } from "@/lib/catalog/backstage/read-catalog-document";
import { readYamlDocuments, type YamlStream } from "@/lib/catalog/backstage/read-yaml-documents";

export type { CatalogDocument, CatalogError, ParsedCatalogFile } from "@/lib/catalog/backstage/catalog-document";
export { MAX_CATALOG_FILE_BYTES } from "@/lib/catalog/backstage/decode-catalog-input";
export { MAX_FLOW_DEPTH, MAX_YAML_DOCUMENTS } from "@/lib/catalog/backstage/read-yaml-documents";
export { MAX_YAML_ALIASES } from "@/lib/catalog/backstage/read-catalog-document";

export function parseCatalogInfo(input: string | Uint8Array): ParsedCatalogFile {
  const decoded = decodeCatalogInput(input);
  if ("error" in decoded) return { fileErrors: [{ line: decoded.line, message: decoded.error }], documents: [] };

  let stream: YamlStream;
  try {
    stream = readYamlDocuments(decoded.text);
  } catch {
    // The YAML parser reports its own problems as document errors; a throw means the input defeated it.
    return { fileErrors: [{ line: 1, message: "Wharf could not read this file as YAML; check that it is a catalog-info.yaml file." }], documents: [] };
  }
  if (stream.fileErrors.length > 0) return { fileErrors: stream.fileErrors, documents: [] };

  const documents: CatalogDocument[] = [];
  stream.documents.forEach((yamlDocument, index) => {
    const document = readCatalogDocument(yamlDocument, index, stream.lineCounter);
    if (document) documents.push(document);
  });
  refuseDuplicateNames(documents);
  return { fileErrors: [], documents };
}

/** Two components with one name would import as one service; the later one is refused. */
function refuseDuplicateNames(documents: CatalogDocument[]): void {
  const firstLine = new Map<string, number>();
  for (const document of documents) {
    const slug = document.service?.slug;
    if (slug === undefined) continue;
    const earlier = firstLine.get(slug);
    if (earlier === undefined) {
      firstLine.set(slug, document.line);
      continue;
    }
    document.errors.push({
      line: document.line,
      path: "metadata.name",
      message: `The component ${slug} is already defined at line ${earlier} of this file; remove one of the two or rename this one.`,
    });
    delete document.service;
  }
}
