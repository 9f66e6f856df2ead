// Splitting catalog text into YAML documents without letting a hostile file
// exhaust memory or time. Documents are composed one at a time (as
// parseAllDocuments does internally) so the count cap stops reading early:
// parseAllDocuments itself builds every document first, which took 14 s and
// 1.9 GB for a 5 MB file of tiny documents.
import { Composer, type Document, LineCounter, Parser } from "yaml";
import type { CatalogError } from "@/lib/catalog/backstage/catalog-document";

export const MAX_YAML_DOCUMENTS = 10_000;
/** Deeper [ ] or { } nesting than this is refused before parsing: the YAML lexer slows down and runs out of memory on millions of open brackets. */
export const MAX_FLOW_DEPTH = 100;

export type YamlStream = { fileErrors: CatalogError[]; documents: Document.Parsed[]; lineCounter: LineCounter };

export function readYamlDocuments(text: string): YamlStream {
  const lineCounter = new LineCounter();
  const deepLine = lineOfExcessiveFlowDepth(text);
  if (deepLine !== null) {
    return {
      lineCounter,
      documents: [],
      fileErrors: [
        {
          line: deepLine,
          message:
            `The file nests [ ] or { } more than ${MAX_FLOW_DEPTH} levels deep here; ` +
            "Wharf does not read such files. Write the entity with ordinary indented YAML.",
        },
      ],
    };
  }
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ prettyErrors: false });
  const documents: Document.Parsed[] = [];
  for (const document of composer.compose(parser.parse(text))) {
    if (documents.length === MAX_YAML_DOCUMENTS) {
      const line = lineCounter.linePos(document.range[0]).line;
      return {
        lineCounter,
        documents: [],
        fileErrors: [
          { line, message: `The file has more than ${MAX_YAML_DOCUMENTS} YAML documents; split it into files of at most ${MAX_YAML_DOCUMENTS} entities.` },
        ],
      };
    }
    documents.push(document);
  }
  return { lineCounter, documents, fileErrors: [] };
}

/**
 * The line where flow nesting first exceeds the limit, or null. Brackets inside
 * quotes and comments are counted too: that can only overestimate, and no real
 * catalog file comes near the limit. A `---` line starts a new document, which
 * no flow collection crosses, so the count starts again there.
 */
function lineOfExcessiveFlowDepth(text: string): number | null {
  let depth = 0;
  let line = 1;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x0a) {
      line++;
      if (text.startsWith("---", index + 1)) depth = 0;
    } else if (code === 0x5b || code === 0x7b) {
      depth++;
      if (depth > MAX_FLOW_DEPTH) return line;
    } else if ((code === 0x5d || code === 0x7d) && depth > 0) depth--;
  }
  return null;
}
