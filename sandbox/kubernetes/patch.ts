// The three patch formats of PATCH requests other than apply.
// - JSON merge patch (RFC 7386): maps merge, null deletes, lists replace.
// - Strategic merge patch: like merge patch, but lists of containers, ports,
//   env, volumes... merge item by item on their key (see `keyedLists` in
//   schema.ts), and the directives kubectl's client-side apply sends are
//   honoured: `$patch: replace|delete|merge`, `$retainKeys`,
//   `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
// - JSON patch (RFC 6902): add, remove, replace, move, copy, test.
import { badRequest, unprocessable, unsupportedMediaType } from "./status";
import { clone, deepEqual, isPlainObject, type JsonObject } from "./objects";
import { fieldType, isSetList, listKeys, itemKey, sameKey, type FieldType } from "./schema";

export type PatchType = "merge" | "strategic" | "json" | "apply";

export function patchTypeOf(contentType: string | undefined): PatchType {
  const media = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (media === "application/merge-patch+json") return "merge";
  if (media === "application/strategic-merge-patch+json") return "strategic";
  if (media === "application/json-patch+json") return "json";
  if (media === "application/apply-patch+yaml" || media === "application/apply-patch+cbor") return "apply";
  throw unsupportedMediaType(contentType ?? "");
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const result: JsonObject = isPlainObject(target) ? clone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

function childType(type: FieldType | undefined, key: string): FieldType | undefined {
  if (!type) return undefined;
  if (type.kind === "struct") return fieldType(type.typeName, key);
  if (type.kind === "map") return type.values;
  return undefined;
}

function orderBy(list: unknown[], order: unknown[], keys: string[] | undefined): unknown[] {
  const position = (item: unknown): number => {
    const index = order.findIndex((entry) => (keys ? sameKey(itemKey(entry, keys.slice(0, 1)), itemKey(item, keys.slice(0, 1))) : deepEqual(entry, item)));
    return index === -1 ? order.length : index;
  };
  return list
    .map((item, index) => ({ item, index, rank: position(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.item);
}

function mergeKeyedList(original: unknown[], patch: unknown[], mergeKey: string, itemType: FieldType | undefined): unknown[] {
  if (patch.some((item) => isPlainObject(item) && item.$patch === "replace")) {
    return patch.filter((item) => !(isPlainObject(item) && item.$patch === "replace"));
  }
  const result = clone(original);
  for (const item of patch) {
    if (!isPlainObject(item)) throw badRequest(`unable to find api field in struct for the list with merge key "${mergeKey}": items must be objects`);
    if (item[mergeKey] === undefined) throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    const index = result.findIndex((existing) => isPlainObject(existing) && deepEqual(existing[mergeKey], item[mergeKey]));
    if (item.$patch === "delete") {
      if (index !== -1) result.splice(index, 1);
      continue;
    }
    if (index === -1) result.push(strategicMerge(undefined, item, itemType));
    else result[index] = strategicMerge(result[index], item, itemType);
  }
  return result;
}

/** Applies a strategic merge patch; `type` is the client-node model of `target` (undefined: plain merge semantics). */
export function strategicMerge(target: unknown, patch: unknown, type: FieldType | undefined): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  if (patch.$patch === "replace") {
    const { $patch: _directive, ...rest } = patch;
    return strategicMerge(undefined, rest, type);
  }
  const result: JsonObject = isPlainObject(target) ? clone(target) : {};
  const parentType = type?.kind === "struct" ? type.typeName : undefined;
  const orders: [string, unknown[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === "$patch" || key === "$retainKeys") continue;
    if (key.startsWith("$setElementOrder/")) {
      if (Array.isArray(value)) orders.push([key.slice("$setElementOrder/".length), value]);
      continue;
    }
    if (key.startsWith("$deleteFromPrimitiveList/")) {
      const field = key.slice("$deleteFromPrimitiveList/".length);
      const current = result[field];
      if (Array.isArray(current) && Array.isArray(value)) result[field] = current.filter((item) => !value.some((gone) => deepEqual(gone, item)));
      continue;
    }
    if (value === null) {
      delete result[key];
      continue;
    }
    if (isPlainObject(value) && value.$patch === "delete") {
      delete result[key];
      continue;
    }
    const child = childType(type, key);
    const keys = parentType ? listKeys(parentType, key) : undefined;
    const current = result[key];
    if (Array.isArray(value) && keys?.[0]) {
      result[key] = mergeKeyedList(Array.isArray(current) ? current : [], value, keys[0], child?.kind === "array" ? child.items : undefined);
    } else if (Array.isArray(value) && parentType && isSetList(parentType, key)) {
      const merged = Array.isArray(current) ? clone(current) : [];
      for (const item of value) if (!merged.some((existing) => deepEqual(existing, item))) merged.push(item);
      result[key] = merged;
    } else if (isPlainObject(value)) {
      result[key] = strategicMerge(current, value, child);
    } else {
      result[key] = clone(value);
    }
  }
  for (const [field, order] of orders) {
    const current = result[field];
    if (Array.isArray(current)) result[field] = orderBy(current, order, parentType ? listKeys(parentType, field) : undefined);
  }
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
  return result;
}

function pointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw unprocessable(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function parentOf(document: unknown, parts: string[], path: string): { parent: JsonObject | unknown[]; key: string } {
  let current = document;
  for (const part of parts.slice(0, -1)) {
    current = Array.isArray(current) ? current[Number(part)] : isPlainObject(current) ? current[part] : undefined;
    if (current === undefined) throw unprocessable(`doc is missing path: "${path}"`);
  }
  if (!Array.isArray(current) && !isPlainObject(current)) throw unprocessable(`doc is missing path: "${path}"`);
  return { parent: current, key: parts[parts.length - 1] ?? "" };
}

function read(document: unknown, path: string): unknown {
  let current = document;
  for (const part of pointer(path)) {
    current = Array.isArray(current) ? current[Number(part)] : isPlainObject(current) ? current[part] : undefined;
    if (current === undefined) throw unprocessable(`doc is missing path: "${path}"`);
  }
  return current;
}

function remove(document: unknown, path: string): unknown {
  const { parent, key } = parentOf(document, pointer(path), path);
  if (Array.isArray(parent)) return parent.splice(Number(key), 1)[0];
  if (!(key in parent)) throw unprocessable(`Unable to remove nonexistent key: ${key}: missing value`);
  const value = parent[key];
  delete parent[key];
  return value;
}

function add(document: unknown, path: string, value: unknown, replace: boolean): void {
  const { parent, key } = parentOf(document, pointer(path), path);
  if (Array.isArray(parent)) {
    const index = key === "-" ? parent.length : Number(key);
    if (!Number.isInteger(index) || index < 0 || index > parent.length) throw unprocessable(`add operation index out of bounds: ${key}`);
    parent.splice(index, replace ? 1 : 0, clone(value));
  } else {
    if (replace && !(key in parent)) throw unprocessable(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[key] = clone(value);
  }
}

export function jsonPatch(target: JsonObject, operations: unknown): JsonObject {
  if (!Array.isArray(operations)) throw unprocessable("a JSON patch is a list of operations");
  const document = clone(target);
  for (const operation of operations) {
    if (!isPlainObject(operation) || typeof operation.path !== "string") throw unprocessable("each JSON patch operation needs op and path");
    const { op, path, from, value } = operation;
    if (op === "add") add(document, path, value, false);
    else if (op === "replace") add(document, path, value, true);
    else if (op === "remove") remove(document, path);
    else if (op === "move" && typeof from === "string") add(document, path, remove(document, from), false);
    else if (op === "copy" && typeof from === "string") add(document, path, read(document, from), false);
    else if (op === "test") {
      if (!deepEqual(read(document, path), value)) throw unprocessable(`testing value ${path} failed: test failed`);
    } else throw unprocessable(`unexpected kind of JSON patch operation "${String(op)}"`);
  }
  return document;
}
