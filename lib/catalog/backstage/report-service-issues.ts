// Wharf's service schema speaks of Wharf fields (`ownerTeam`, `deploySpec.port`);
// users wrote Backstage fields. Each issue is reported at the Backstage field
// it came from, unless the mapping already explained that field.
import type { z } from "zod";
import { type BackstagePath, type Findings, formatBackstagePath, type Origin, type Origins } from "@/lib/catalog/backstage/findings";
import { isRecord, type YamlRecord } from "@/lib/catalog/backstage/yaml-values";

type IssuePath = readonly (string | number)[];

export function reportServiceIssues(issues: readonly z.core.$ZodIssue[], mapped: YamlRecord, origins: Origins, findings: Findings): void {
  // A field the mapping already reported, or one inside a reported section, needs no second message.
  const explained = findings.errors.map((finding) => finding.path);
  const isExplained = (path: BackstagePath) =>
    explained.some((prefix) => prefix.length <= path.length && prefix.every((segment, index) => path[index] === segment));
  for (const issue of issues) {
    const path = issue.path.filter((segment): segment is string | number => typeof segment !== "symbol");
    const { origin, rest } = originOf(path, origins);
    if (origin && isExplained(origin.path)) continue;
    const field = origin?.within !== undefined && rest.length > 0 ? rest.join(".") : null;
    const message = messageOf(issue, valueAt(mapped, path), field ?? (origin ? formatBackstagePath(origin.path) : path.join(".")));
    const text = origin?.within !== undefined && field !== null ? `In ${origin.within}, ${field}: ${message}` : message;
    findings.error(origin?.path ?? [], text);
  }
}

/** The origin of the longest recorded prefix of the path, and the part of the path below it. */
function originOf(path: IssuePath, origins: Origins): { origin: Origin | undefined; rest: IssuePath } {
  for (let length = path.length; length > 0; length--) {
    const origin = origins.get(path.slice(0, length).join("."));
    if (origin) return { origin, rest: path.slice(length) };
  }
  return { origin: undefined, rest: path };
}

function valueAt(value: unknown, path: IssuePath): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isRecord(current) && typeof segment === "string" && Object.hasOwn(current, segment)) current = current[segment];
    else return undefined;
  }
  return current;
}

const typeNames: Record<string, string> = { string: "text", number: "a number", object: "a mapping", array: "a list", boolean: "true or false" };

/** The schema's messages already say what to change, except zod's generic type errors ("Invalid input: expected string, ..."). */
function messageOf(issue: z.core.$ZodIssue, value: unknown, where: string): string {
  if (issue.code !== "invalid_type" || !issue.message.startsWith("Invalid input")) return issue.message;
  const expected = typeNames[issue.expected] ?? issue.expected;
  if (value === undefined) return `Add ${where} (${expected}).`;
  return (
    `${where} must be ` +
    `${expected}${issue.expected === "string" && typeof value !== "object" ? `; put the value in quotes, such as "${String(value)}"` : ""}.`
  );
}
