// Label and field selectors as k8s.io/apimachinery parses them. Wharf finds
// its pods, replica sets and events by selector, so an unsupported or
// malformed selector must fail with 400 here as it does on a real cluster,
// instead of quietly matching everything.
import { badRequest } from "./status";
import { isPlainObject, type KubeObject } from "./objects";
import type { ResourceType } from "./resources";

type Requirement =
  { key: string; op: "in" | "notin"; values: string[] } | { key: string; op: "exists" | "!exists" } | { key: string; op: "gt" | "lt"; value: number };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/** Splits on commas outside parentheses: `a in (x,y),b` is two requirements. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of selector) {
    if (char === "(") depth += 1;
    if (char === ")") depth -= 1;
    if (char === "," && depth === 0) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

const keyPattern = /^([a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z]([-a-z0-9A-Z_.]*[a-z0-9A-Z])?$/;

function checkKey(key: string, whole: string): string {
  if (!keyPattern.test(key)) throw badRequest(`unable to parse requirement: invalid label key "${key}" in selector "${whole}"`);
  return key;
}

function parseRequirement(text: string, whole: string): Requirement {
  if (text === "") throw badRequest(`unable to parse requirement: found '', expected: identifier (selector "${whole}")`);
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (set) {
    const values = (set[3] ?? "")
      .split(",")
      .map((value) => value.trim())
      .filter((value) => value !== "");
    return { key: checkKey(set[1] ?? "", whole), op: set[2] === "in" ? "in" : "notin", values };
  }
  const comparison = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (comparison) {
    const [, key = "", op, value = ""] = comparison;
    if (op === ">" || op === "<") {
      const number = Number(value);
      if (!Number.isInteger(number))
        throw badRequest(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer (selector "${whole}")`);
      return { key: checkKey(key, whole), op: op === ">" ? "gt" : "lt", value: number };
    }
    return { key: checkKey(key, whole), op: op === "!=" ? "notin" : "in", values: [value.trim()] };
  }
  if (text.startsWith("!")) return { key: checkKey(text.slice(1).trim(), whole), op: "!exists" };
  return { key: checkKey(text, whole), op: "exists" };
}

function matches(requirement: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = labels[requirement.key];
  switch (requirement.op) {
    case "exists":
      return has;
    case "!exists":
      return !has;
    case "in":
      return has && requirement.values.includes(value ?? "");
    case "notin":
      // `a!=b` and `a notin (b)` match objects without the label too.
      return !has || !requirement.values.includes(value ?? "");
    case "gt":
      return has && Number(value) > requirement.value;
    case "lt":
      return has && Number(value) < requirement.value;
  }
}

/** Parses a `labelSelector` query value; an empty selector matches everything. */
export function parseLabelSelector(selector: string | undefined): LabelMatcher {
  if (!selector || selector.trim() === "") return () => true;
  const requirements = splitRequirements(selector).map((part) => parseRequirement(part, selector));
  return (labels) => requirements.every((requirement) => matches(requirement, labels ?? {}));
}

/** Matches a metav1.LabelSelector object (matchLabels and matchExpressions), as Deployments and NetworkPolicies carry. */
export function labelSelectorObjectMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isPlainObject(selector)) return false;
  const own = labels ?? {};
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, value] of Object.entries(matchLabels)) if (own[key] !== value) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const expression of expressions) {
    if (!isPlainObject(expression) || typeof expression.key !== "string") return false;
    const values = Array.isArray(expression.values) ? expression.values.map(String) : [];
    const op = { In: "in", NotIn: "notin", Exists: "exists", DoesNotExist: "!exists" }[String(expression.operator)] as Requirement["op"] | undefined;
    if (!op) return false;
    const requirement = op === "in" || op === "notin" ? { key: expression.key, op, values } : { key: expression.key, op: op as "exists" | "!exists" };
    if (!matches(requirement, own)) return false;
  }
  return true;
}

// Field selectors each resource supports besides metadata.name and metadata.namespace
// (the fields registered by the real API server's field label conversion funcs).
const extraFields: Record<string, string[]> = {
  namespaces: ["status.phase"],
  nodes: ["spec.unschedulable"],
  pods: ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "status.phase", "status.podIP", "status.nominatedNodeName"],
  events: [
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
  ],
  replicasets: ["status.replicas"],
};

function fieldValue(object: KubeObject, path: string): string {
  let current: unknown = object;
  for (const part of path.split(".")) current = isPlainObject(current) ? current[part] : undefined;
  if (path === "source" && isPlainObject(object.source)) return String(object.source.component ?? "");
  return current === undefined || current === null ? "" : String(current);
}

export type ObjectMatcher = (object: KubeObject) => boolean;

/** Parses a `fieldSelector` for a resource; unsupported fields are a 400 as on a real server. */
export function parseFieldSelector(selector: string | undefined, type: ResourceType): ObjectMatcher {
  if (!selector || selector.trim() === "") return () => true;
  const supported = new Set(["metadata.name", "metadata.namespace", ...(extraFields[type.plural] ?? [])]);
  const terms = selector.split(",").map((term) => {
    const match = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!match) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, field = "", op, value = ""] = match;
    if (!supported.has(field)) throw badRequest(`field label not supported: ${field}`);
    return { field, negate: op === "!=", value };
  });
  return (object) => terms.every((term) => (fieldValue(object, term.field) === term.value) !== term.negate);
}
