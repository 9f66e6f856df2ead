// The shapes a catalog-info.yaml import hands back. Errors carry a line so the
// import page can point at the exact place in the user's file.
import type { ServiceInput } from "@/lib/catalog/service-input";

/** One problem found in a catalog file: a 1-based line, the Backstage path it concerns (such as `metadata.name`), and what to change. */
export type CatalogError = { line: number; path?: string; message: string };

export type CatalogDocument = {
  /** 0-based position among all the documents of the file, counting skipped empty ones, so it matches the Nth `---` section. */
  index: number;
  /** 1-based line of the document's first content. */
  line: number;
  /** metadata.name when the document has one, even if it cannot be imported. */
  name?: string;
  /** The service to import; set only when `errors` is empty. */
  service?: ServiceInput;
  errors: CatalogError[];
  warnings: CatalogError[];
};

export type ParsedCatalogFile = { fileErrors: CatalogError[]; documents: CatalogDocument[] };
