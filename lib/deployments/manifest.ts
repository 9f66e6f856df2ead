// The rendered manifest as people read it on the confirm screen and in
// history: YAML in the renderer's key order, and a unified line diff against
// what runs now.
import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from "diff";
import { stringify } from "yaml";
import type { RenderedManifest } from "./render";

/**
 * One object as YAML: keys in insertion order (the renderer's), no line
 * folding, so output is stable; never anchors and aliases for an object used
 * twice (kubectl users read it), which also skips a walk of the whole object
 * (about half of the time this takes).
 */
export function toYaml(object: unknown): string {
  return stringify(object, { lineWidth: 0, sortMapEntries: false, aliasDuplicateObjects: false });
}

/** Deployment then Service, as one multi-document YAML file, the way `kubectl apply -f` takes it. */
export function manifestYaml(manifest: RenderedManifest): string {
  return `${toYaml(manifest.deployment)}---\n${toYaml(manifest.service)}`;
}

export interface DiffLine {
  kind: "hunk" | "context" | "added" | "removed";
  /** The line without its leading marker; for a hunk, its `@@ -a,b +c,d @@` header. */
  text: string;
}

export interface ManifestDiff {
  changed: boolean;
  added: number;
  removed: number;
  /** `--- current` / `+++ next` and hunks with 3 lines of context, as `diff -u` prints. */
  unified: string;
  lines: DiffLine[];
}

const markers: Record<string, DiffLine["kind"]> = { "+": "added", "-": "removed", " ": "context" };

/**
 * What applying `nextYaml` changes. `currentYaml` is null for a first
 * deployment (everything is added). Compare like with like: the manifest
 * Wharf applied last (from history), not a live object full of defaults and
 * status.
 */
export function manifestDiff(currentYaml: string | null, nextYaml: string): ManifestDiff {
  const patch = structuredPatch("current", "next", currentYaml ?? "", nextYaml, undefined, undefined, { context: 3 });
  const lines: DiffLine[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    lines.push({ kind: "hunk", text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` });
    for (const line of hunk.lines) {
      // "\ No newline at end of file" belongs to the line before it; the unified text keeps it.
      const kind = markers[line[0] ?? ""];
      if (!kind) continue;
      if (kind === "added") added += 1;
      if (kind === "removed") removed += 1;
      lines.push({ kind, text: line.slice(1) });
    }
  }
  const changed = patch.hunks.length > 0;
  return { changed, added, removed, unified: changed ? formatPatch(patch, FILE_HEADERS_ONLY) : "", lines };
}
