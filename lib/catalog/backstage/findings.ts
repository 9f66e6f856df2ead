// Problems found while mapping one Backstage entity, addressed by their path in
// the entity (not by line) so the mapping stays independent of the YAML parser;
// parse-catalog-info.ts turns the paths into lines.

export type BackstagePath = readonly (string | number)[];
export type Finding = { path: BackstagePath; message: string };

export class Findings {
  readonly errors: Finding[] = [];
  readonly warnings: Finding[] = [];

  error(path: BackstagePath, message: string): void {
    addOnce(this.errors, { path, message });
  }

  warn(path: BackstagePath, message: string): void {
    addOnce(this.warnings, { path, message });
  }

  hasErrorAt(path: BackstagePath): boolean {
    const key = formatBackstagePath(path);
    return this.errors.some((finding) => formatBackstagePath(finding.path) === key);
  }
}

/** One bad annotation can be met once per entry that uses it; the user needs to hear it once. */
function addOnce(list: Finding[], finding: Finding): void {
  const key = formatBackstagePath(finding.path);
  if (!list.some((existing) => existing.message === finding.message && formatBackstagePath(existing.path) === key)) list.push(finding);
}

/** `metadata.annotations["wharf.io/tier"]`, `spec.dependsOn[2]`: the way Backstage users would write the path. */
export function formatBackstagePath(path: BackstagePath): string {
  return path
    .map((segment, position) => {
      if (typeof segment === "number") return `[${segment}]`;
      if (/^[A-Za-z_$][\w$]*$/.test(segment)) return position === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join("");
}

/**
 * Where each Wharf field came from, keyed by its Wharf path joined with dots
 * (`slug`, `tags.2`, `dependencies.0`), so a schema issue can be reported at
 * the user's line. `within` names an annotation that holds a whole JSON value,
 * whose inner fields are then named in the message.
 */
export type Origin = { path: BackstagePath; within?: string };
export type Origins = Map<string, Origin>;
