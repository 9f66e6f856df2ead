// Server-side apply and field ownership (`metadata.managedFields`).
// Apply merges a manager's intent into the live object: fields it applied
// before and dropped now are removed (unless someone else owns them), fields
// another manager owns with a different value are conflicts (409 unless
// force), and a repeated identical apply changes nothing. Ordinary writes
// (create, update, patch) record their manager as owner of what they changed,
// as the real server does, so Wharf's apply conflicts with kubectl edits.
import { conflict as conflictError, type StatusCause } from "./status";
import { clone, deepEqual, isPlainObject, timestamp, type JsonObject, type KubeObject, type ManagedFieldsEntry } from "./objects";
import { decodePath, describePath, fieldSetOf, fromFieldsV1, removePath, toFieldsV1, valueAtPath, type PathKey } from "./field-sets";
import { fieldType, itemKey, listKeys, isSetList, sameKey, type FieldType } from "./schema";
import { apiVersionOf, type ResourceType } from "./resources";
import { KubeError } from "./status";

interface Ownership {
  entry: ManagedFieldsEntry;
  fields: Set<PathKey>;
}

function ownerships(object: KubeObject | undefined, subresource: "" | "status"): Ownership[] {
  return (object?.metadata.managedFields ?? [])
    .filter((entry) => (entry.subresource ?? "") === subresource)
    .map((entry) => ({ entry, fields: fromFieldsV1(entry.fieldsV1) }));
}

function otherSubresources(object: KubeObject | undefined, subresource: "" | "status"): ManagedFieldsEntry[] {
  return (object?.metadata.managedFields ?? []).filter((entry) => (entry.subresource ?? "") !== subresource);
}

function entryFor(
  manager: string,
  operation: "Apply" | "Update",
  type: ResourceType,
  fields: Set<PathKey>,
  subresource: "" | "status",
  time: string,
): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = { manager, operation, apiVersion: apiVersionOf(type), time, fieldsType: "FieldsV1", fieldsV1: toFieldsV1(fields) };
  if (subresource) entry.subresource = subresource;
  return entry;
}

/** Keeps an entry's old timestamp when its fields did not change, so a no-op write stays a no-op. */
function stamped(previous: Ownership[], next: ManagedFieldsEntry): ManagedFieldsEntry {
  const before = previous.find((own) => own.entry.manager === next.manager && own.entry.operation === next.operation);
  return before && deepEqual(before.entry.fieldsV1, next.fieldsV1) ? { ...next, time: before.entry.time } : next;
}

function assemble(
  previous: Ownership[],
  owners: { entry: ManagedFieldsEntry; fields: Set<PathKey> }[],
  kept: ManagedFieldsEntry[],
): ManagedFieldsEntry[] | undefined {
  const entries = [...kept, ...owners.filter((own) => own.fields.size > 0).map((own) => stamped(previous, { ...own.entry, fieldsV1: toFieldsV1(own.fields) }))];
  return entries.length > 0 ? entries : undefined;
}

/** Merges an applied configuration into a live value, item by item for keyed lists. */
function mergeApplied(live: unknown, applied: unknown, type: FieldType | undefined): unknown {
  if (!isPlainObject(applied) || !isPlainObject(live)) return clone(applied);
  const structName = type?.kind === "struct" ? type.typeName : undefined;
  const result: JsonObject = clone(live);
  for (const [key, value] of Object.entries(applied)) {
    const child = structName ? fieldType(structName, key) : type?.kind === "map" ? type.values : undefined;
    const keys = structName ? listKeys(structName, key) : undefined;
    const current = result[key];
    if (Array.isArray(value) && keys && Array.isArray(current)) {
      const itemType = child?.kind === "array" ? child.items : undefined;
      const merged = clone(current);
      for (const item of value) {
        const index = merged.findIndex((existing) => sameKey(itemKey(existing, keys), itemKey(item, keys)));
        if (index === -1) merged.push(clone(item));
        else merged[index] = mergeApplied(merged[index], item, itemType);
      }
      result[key] = merged;
    } else if (Array.isArray(value) && structName && isSetList(structName, key) && Array.isArray(current)) {
      result[key] = [...current, ...value.filter((item) => !current.some((existing) => deepEqual(existing, item)))];
    } else {
      result[key] = mergeApplied(current, value, child);
    }
  }
  return result;
}

export interface ApplyRequest {
  type: ResourceType;
  live: KubeObject | undefined;
  applied: KubeObject;
  manager: string;
  force: boolean;
  subresource?: "" | "status";
}

function conflictStatus(type: ResourceType, name: string, conflicts: { manager: string; path: PathKey }[]): KubeError {
  const apiVersion = apiVersionOf(type);
  const byManager = new Map<string, string[]>();
  for (const item of conflicts) byManager.set(item.manager, [...(byManager.get(item.manager) ?? []), describePath(item.path)]);
  const lines = [...byManager.entries()].map(([manager, paths]) =>
    paths.length === 1
      ? `conflict with "${manager}" using ${apiVersion}: ${paths[0]}`
      : `conflicts with "${manager}" using ${apiVersion}:\n${paths.map((path) => `- ${path}`).join("\n")}`,
  );
  const count = conflicts.length;
  const error = conflictError(type, name, "");
  error.status.message = `Apply failed with ${count} conflict${count === 1 ? "" : "s"}: ${lines.join("\n")}`;
  const causes: StatusCause[] = conflicts.map((item) => ({
    reason: "FieldManagerConflict",
    message: `conflict with "${item.manager}" using ${apiVersion}`,
    field: describePath(item.path),
  }));
  error.status.details = { ...error.status.details, causes };
  return error;
}

/** Computes the object after an apply, or throws 409 with every conflicting field. */
export function applyConfiguration(request: ApplyRequest): KubeObject {
  const { type, live, applied, manager, force } = request;
  const subresource = request.subresource ?? "";
  const appliedSet = fieldSetOf(applied, type.modelType, subresource);
  const previous = ownerships(live, subresource);
  const base: KubeObject = live ? clone(live) : { metadata: {} };

  const conflicts: { manager: string; path: PathKey }[] = [];
  const others = previous.filter((own) => !(own.entry.manager === manager && own.entry.operation === "Apply"));
  for (const other of others) {
    for (const path of appliedSet) {
      if (!other.fields.has(path)) continue;
      const wanted = valueAtPath(applied, decodePath(path));
      const actual = valueAtPath(base, decodePath(path));
      if (path.split("\u0000").pop()?.startsWith("k:")) continue;
      if (!deepEqual(wanted, actual)) conflicts.push({ manager: other.entry.manager, path });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictStatus(type, applied.metadata.name ?? "", conflicts);
  for (const { manager: owner, path } of conflicts) others.find((own) => own.entry.manager === owner)?.fields.delete(path);

  // Fields this manager applied before but not now are removed, unless another manager still owns them.
  const mine = previous.find((own) => own.entry.manager === manager && own.entry.operation === "Apply");
  const result = base;
  if (mine) {
    const stillOwned = new Set(others.flatMap((own) => [...own.fields]));
    const dropped = [...mine.fields].filter((path) => !appliedSet.has(path) && !stillOwned.has(path));
    // Deepest first, so removing an item does not hide its fields' paths.
    for (const path of dropped.sort((a, b) => b.length - a.length)) removePath(result, decodePath(path));
  }
  const merged = mergeApplied(result, withoutIgnoredRoots(applied, subresource), { kind: "struct", typeName: type.modelType }) as KubeObject;
  merged.metadata = { ...merged.metadata, managedFields: live?.metadata.managedFields };
  const now = timestamp();
  const owners = [...others, { entry: entryFor(manager, "Apply", type, appliedSet, subresource, now), fields: appliedSet }];
  merged.metadata.managedFields = assemble(previous, owners, otherSubresources(live, subresource));
  if (!merged.metadata.managedFields) delete merged.metadata.managedFields;
  return merged;
}

/** The applied object without the parts apply may not set through this endpoint (status on the main resource, and the reverse). */
function withoutIgnoredRoots(applied: KubeObject, subresource: "" | "status"): JsonObject {
  const copy: JsonObject = clone(applied);
  const metadata = isPlainObject(copy.metadata) ? copy.metadata : {};
  delete metadata.managedFields;
  if (subresource === "status") return { metadata: {}, status: copy.status };
  delete copy.status;
  return copy;
}

/**
 * Records an ordinary write: `manager` (operation Update) takes every field
 * whose value it set or changed; other managers lose those fields and any
 * field that no longer exists. A client that sends its own non-empty
 * managedFields (kubectl does, when it upgrades client-side apply ownership)
 * has them kept as sent.
 */
export function recordUpdate(type: ResourceType, old: KubeObject | undefined, next: KubeObject, manager: string, subresource: "" | "status" = ""): KubeObject {
  const sent = next.metadata.managedFields;
  if (old && Array.isArray(sent) && sent.length > 0 && !deepEqual(sent, old.metadata.managedFields)) return next;
  const reset = Array.isArray(sent) && sent.length === 0;
  const previous = reset ? [] : ownerships(old, subresource);
  const oldSet = old && !reset ? fieldSetOf(old, type.modelType, subresource) : new Set<PathKey>();
  const nextSet = fieldSetOf(next, type.modelType, subresource);
  const changed = [...nextSet].filter(
    (path) => !oldSet.has(path) || (!reset && !deepEqual(valueAtPath(old, decodePath(path)), valueAtPath(next, decodePath(path)))),
  );
  const owners = previous.map((own) => ({
    entry: own.entry,
    fields: new Set(
      [...own.fields].filter((path) => nextSet.has(path) && ((own.entry.manager === manager && own.entry.operation === "Update") || !changed.includes(path))),
    ),
  }));
  let mine = owners.find((own) => own.entry.manager === manager && own.entry.operation === "Update");
  if (!mine && changed.length > 0) owners.push((mine = { entry: entryFor(manager, "Update", type, new Set(), subresource, timestamp()), fields: new Set() }));
  if (mine && changed.length > 0) {
    for (const path of changed) mine.fields.add(path);
    mine.entry = { ...mine.entry, time: timestamp() };
  }
  const result = clone(next);
  result.metadata.managedFields = assemble(previous, owners, reset ? [] : otherSubresources(old, subresource));
  if (!result.metadata.managedFields) delete result.metadata.managedFields;
  return result;
}

/** The manager an ordinary write is recorded under: `fieldManager`, else the client's program name, as the API server derives it. */
export function updateManager(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  const program = (userAgent ?? "").split("/")[0]?.trim();
  return program || "unknown";
}
