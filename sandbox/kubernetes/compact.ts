// How the store keeps objects small in memory. At 10,000 pods and the
// ~50,000 events their start-up leaves, parsed objects cost about five times
// their JSON, and most of that is repetition: every pod's managedFields
// `fieldsV1` tree has the same shape, and the same short strings (timestamps,
// reasons, node and image names) recur in every object. A stored copy
// therefore shares one frozen `fieldsV1` per distinct tree and one string per
// distinct short value. Stored objects are never mutated (callers get clones),
// and freezing the shared trees makes a mistake throw instead of changing
// every object at once.
import { isPlainObject, type KubeObject } from "./objects";

/** Longer strings (whole messages, annotations) are rarely repeated and not worth a lookup. */
const maxInternedLength = 256;
/** Bounds the managedFields tree table: past this many entries it starts over (objects keep what they share). */
const maxEntries = 200_000;
/**
 * Strings are kept in two generations of this many: a full one becomes the
 * previous, and what is still looked up moves forward. Most strings seen are
 * unique (uids, names, container ids) and only cost the table memory; the
 * repeated ones (timestamps, reasons, node and image names) stay. One table
 * of 200,000 held 7 MB at 10,000 pods.
 */
const maxStringsPerGeneration = 25_000;

let strings = new Map<string, string>();
let previousStrings = new Map<string, string>();
let fieldTrees = new Map<string, unknown>();

/** One shared copy of a short string (also for the controller's own per-pod state). */
export function internString(value: string): string {
  if (value.length > maxInternedLength) return value;
  const known = strings.get(value) ?? previousStrings.get(value);
  if (known !== undefined && strings.has(known)) return known;
  if (strings.size >= maxStringsPerGeneration) {
    previousStrings = strings;
    strings = new Map();
  }
  const kept = known ?? value;
  strings.set(kept, kept);
  return kept;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Interns the strings of a fresh JSON tree in place. */
function internStrings(value: unknown): unknown {
  if (typeof value === "string") return internString(value);
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) value[index] = internStrings(value[index]);
  } else if (isPlainObject(value)) {
    for (const key of Object.keys(value)) value[key] = internStrings(value[key]);
  }
  return value;
}

/** JSON.parse builds objects with exactly their own fields in place, about 15% smaller than ones built key by key. */
function copy(value: unknown): unknown {
  return internStrings(JSON.parse(JSON.stringify(value)));
}

function sharedFieldTree(tree: unknown): unknown {
  const key = JSON.stringify(tree);
  const known = fieldTrees.get(key);
  if (known !== undefined) return known;
  if (fieldTrees.size >= maxEntries) fieldTrees = new Map();
  const frozen = deepFreeze(tree);
  fieldTrees.set(key, frozen);
  return frozen;
}

/** A compact, independent copy of `object` for the store to keep; treat it as read-only. */
export function compactCopy(object: KubeObject): KubeObject {
  const result = copy(object) as KubeObject;
  const { managedFields } = result.metadata;
  if (Array.isArray(managedFields)) {
    for (const entry of managedFields) if (entry.fieldsV1 !== undefined) entry.fieldsV1 = sharedFieldTree(entry.fieldsV1) as typeof entry.fieldsV1;
  }
  return result;
}
