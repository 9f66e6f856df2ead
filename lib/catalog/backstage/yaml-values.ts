// Reading values out of an entity that came from YAML, where any field can hold
// any type. Every reader reports a wrong type as an error at the field's path.
import { type BackstagePath, type Findings, formatBackstagePath } from "@/lib/catalog/backstage/findings";

export type YamlRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is YamlRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The field's value, only when the record has it as its own key (a YAML key such as `constructor` must not reach the prototype). */
export function field(record: YamlRecord, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A text field: undefined when absent or null, the string otherwise; other types are reported. */
export function readText(record: YamlRecord, key: string, path: BackstagePath, findings: Findings): string | undefined {
  const value = field(record, key);
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value;
  const hint = typeof value === "object" ? "write a single value, not a list or a mapping" : `put the value in quotes, such as "${String(value)}"`;
  findings.error([...path, key], `${formatBackstagePath([...path, key])} must be text; ${hint}.`);
  return undefined;
}
