// Turning an uploaded catalog file into text, refusing what Wharf should not
// try to read: files over the size limit and bytes that are not UTF-8.

/** Catalog files above this many bytes are refused before parsing: a real catalog-info.yaml is a few kilobytes. */
export const MAX_CATALOG_FILE_BYTES = 5 * 1024 * 1024;

export type DecodedCatalogInput = { text: string } | { error: string; line: number };

export function decodeCatalogInput(input: string | Uint8Array): DecodedCatalogInput {
  const size = typeof input === "string" ? utf8Size(input) : input.byteLength;
  if (size > MAX_CATALOG_FILE_BYTES) {
    return {
      line: 1,
      error: `The file is ${megabytes(size)} MB; Wharf reads catalog files of at most ${megabytes(MAX_CATALOG_FILE_BYTES)} MB. Split it into smaller files.`,
    };
  }
  if (typeof input === "string") return { text: input.startsWith("\uFEFF") ? input.slice(1) : input };
  try {
    // Without ignoreBOM the decoder drops a leading byte-order mark.
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(input) };
  } catch {
    return {
      line: firstInvalidLine(input),
      error: "The file is not valid UTF-8 text. Save it as UTF-8 (without another encoding such as Latin-1 or UTF-16) and upload it again.",
    };
  }
}

function utf8Size(text: string): number {
  // Every UTF-16 unit takes 1 to 3 bytes, so most texts are settled without encoding them.
  if (text.length > MAX_CATALOG_FILE_BYTES) return text.length;
  if (text.length * 3 <= MAX_CATALOG_FILE_BYTES) return text.length;
  return new TextEncoder().encode(text).byteLength;
}

/** A newline byte never occurs inside a multi-byte UTF-8 sequence, so each line can be checked on its own. */
function firstInvalidLine(bytes: Uint8Array): number {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let line = 1;
  let start = 0;
  for (let offset = 0; offset <= bytes.length; offset++) {
    if (offset < bytes.length && bytes[offset] !== 0x0a) continue;
    try {
      decoder.decode(bytes.subarray(start, offset));
    } catch {
      return line;
    }
    line++;
    start = offset + 1;
  }
  return 1;
}

function megabytes(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
}
