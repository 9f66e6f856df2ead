// Field sets: which fields of an object a manager owns, in the FieldsV1 shape
// the API server puts in `metadata.managedFields`. A set holds paths to
// leaves (scalars, atomic lists, atomic structs such as label selectors) and
// to items of keyed lists (`k:{"name":"web"}`), as structured-merge-diff does.
import { deepEqual, isPlainObject, type JsonObject } from "./objects";
import { fieldType, isAtomicStruct, isSetList, itemKey, listKeys, sameKey, type FieldType } from "./schema";

/** One step of a path: a field (`f:x`), a keyed list item (`k:{...}`), or a set member (`v:...`). */
export type PathElement = string;
/** A path encoded as a string, so sets of paths are plain `Set<string>`. */
export type PathKey = string;

const separator = "\u0000";

export function encodePath(path: PathElement[]): PathKey {
  return path.join(separator);
}

export function decodePath(key: PathKey): PathElement[] {
  return key === "" ? [] : key.split(separator);
}

/** Fields no manager owns: identity, server-set metadata, and the other half of the status split. */
function ignored(path: PathElement[], subresource: "" | "status"): boolean {
  const [first, second] = path;
  if (first === "f:apiVersion" || first === "f:kind") return true;
  if (subresource === "status") return first !== "f:status";
  if (first === "f:status") return true;
  if (first === "f:metadata") {
    return [
      "f:name",
      "f:namespace",
      "f:uid",
      "f:resourceVersion",
      "f:generation",
      "f:creationTimestamp",
      "f:deletionTimestamp",
      "f:managedFields",
      "f:selfLink",
      "f:deletionGracePeriodSeconds",
    ].includes(second ?? "");
  }
  return false;
}

function collect(value: unknown, type: FieldType | undefined, path: PathElement[], out: Set<PathKey>): void {
  const structName = type?.kind === "struct" ? type.typeName : undefined;
  if (!isPlainObject(value) || (structName && isAtomicStruct(structName)) || Object.keys(value).length === 0) {
    out.add(encodePath(path));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const childPath = [...path, `f:${key}`];
    const child = structName ? fieldType(structName, key) : type?.kind === "map" ? type.values : undefined;
    const keys = structName ? listKeys(structName, key) : undefined;
    if (Array.isArray(item) && keys) {
      const itemType = child?.kind === "array" ? child.items : undefined;
      for (const entry of item) {
        const identity = itemKey(entry, keys);
        if (!identity || !isPlainObject(entry)) {
          out.add(encodePath(childPath));
          continue;
        }
        const itemPath = [...childPath, `k:${JSON.stringify(identity)}`];
        out.add(encodePath(itemPath));
        for (const [field, fieldValue] of Object.entries(entry)) {
          collect(fieldValue, itemType?.kind === "struct" ? fieldType(itemType.typeName, field) : undefined, [...itemPath, `f:${field}`], out);
        }
      }
    } else if (Array.isArray(item) && structName && isSetList(structName, key)) {
      for (const entry of item) out.add(encodePath([...childPath, `v:${JSON.stringify(entry)}`]));
    } else {
      collect(item, child, childPath, out);
    }
  }
}

/** Every owned-able path of `object`. */
export function fieldSetOf(object: JsonObject, rootType: string, subresource: "" | "status" = ""): Set<PathKey> {
  const out = new Set<PathKey>();
  collect(object, { kind: "struct", typeName: rootType }, [], out);
  return new Set([...out].filter((key) => key !== "" && !ignored(decodePath(key), subresource)));
}

/** The value at a path, or undefined when the object has no such field. */
export function valueAtPath(object: unknown, path: PathElement[]): unknown {
  let current = object;
  for (const element of path) {
    if (element.startsWith("f:")) current = isPlainObject(current) ? current[element.slice(2)] : undefined;
    else if (element.startsWith("k:")) {
      const key = JSON.parse(element.slice(2)) as Record<string, unknown>;
      current = Array.isArray(current) ? current.find((item) => sameKey(key, itemKey(item, Object.keys(key)))) : undefined;
    } else if (element.startsWith("v:")) {
      const wanted = JSON.parse(element.slice(2)) as unknown;
      current = Array.isArray(current) && current.some((item) => deepEqual(item, wanted)) ? wanted : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Deletes the field or list item at `path` from `object` (in place). */
export function removePath(object: JsonObject, path: PathElement[]): void {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = parentPath.length === 0 ? object : valueAtPath(object, parentPath);
  if (!last) return;
  if (last.startsWith("f:") && isPlainObject(parent)) delete parent[last.slice(2)];
  else if (last.startsWith("k:") && Array.isArray(parent)) {
    const key = JSON.parse(last.slice(2)) as Record<string, unknown>;
    const index = parent.findIndex((item) => sameKey(key, itemKey(item, Object.keys(key))));
    if (index !== -1) parent.splice(index, 1);
  } else if (last.startsWith("v:") && Array.isArray(parent)) {
    const wanted = JSON.parse(last.slice(2)) as unknown;
    const index = parent.findIndex((item) => deepEqual(item, wanted));
    if (index !== -1) parent.splice(index, 1);
  }
}

/** `.spec.template.spec.containers[name="web"].image`, as apply conflicts name fields. */
export function describePath(key: PathKey): string {
  return decodePath(key)
    .map((element) => {
      if (element.startsWith("f:")) return `.${element.slice(2)}`;
      if (element.startsWith("v:")) return `[=${element.slice(2)}]`;
      const identity = JSON.parse(element.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(identity)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(",")}]`;
    })
    .join("");
}

/** The FieldsV1 JSON of a set: nested `f:` maps, `.: {}` marking a list item owned as a whole. */
export function toFieldsV1(set: Set<PathKey>): JsonObject {
  const root: JsonObject = {};
  for (const key of [...set].sort()) {
    let node = root;
    const path = decodePath(key);
    for (const element of path) {
      const next = node[element];
      node = isPlainObject(next) ? next : ((node[element] = {}) as JsonObject);
    }
    if (path[path.length - 1]?.startsWith("k:")) node["."] = {};
  }
  return root;
}

export function fromFieldsV1(fields: unknown): Set<PathKey> {
  const out = new Set<PathKey>();
  const walk = (node: unknown, path: PathElement[]): void => {
    if (!isPlainObject(node)) return;
    const entries = Object.entries(node).filter(([key]) => key !== ".");
    if ("." in node || entries.length === 0) if (path.length > 0) out.add(encodePath(path));
    for (const [key, child] of entries) walk(child, [...path, key]);
  };
  walk(fields, []);
  return out;
}
