// The structure of every served kind, taken from @kubernetes/client-node's
// generated models (each class lists its fields and their types in
// `attributeTypeMap`). One source serves three needs: finding unknown fields
// (strict field validation), the OpenAPI documents kubectl downloads, and the
// list semantics that strategic merge patch and server-side apply depend on.
// Only the models: the package root also loads every API client, which the sandbox does not use.
import * as models from "@kubernetes/client-node/dist/gen/models/all.js";
import { isPlainObject } from "./objects";

interface Attribute {
  baseName: string;
  type: string;
}

export type FieldType =
  | { kind: "struct"; typeName: string }
  | { kind: "array"; items: FieldType }
  | { kind: "map"; values: FieldType }
  | { kind: "scalar"; scalar: "string" | "number" | "boolean" | "date" | "int-or-string" | "any" };

const scalars: Record<string, FieldType> = {
  string: { kind: "scalar", scalar: "string" },
  number: { kind: "scalar", scalar: "number" },
  boolean: { kind: "scalar", scalar: "boolean" },
  Date: { kind: "scalar", scalar: "date" },
  IntOrString: { kind: "scalar", scalar: "int-or-string" },
  any: { kind: "scalar", scalar: "any" },
};

export function parseFieldType(type: string): FieldType {
  const scalar = scalars[type];
  if (scalar) return scalar;
  const array = /^Array<(.+)>$/.exec(type);
  if (array?.[1]) return { kind: "array", items: parseFieldType(array[1]) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map?.[1]) return { kind: "map", values: parseFieldType(map[1]) };
  return { kind: "struct", typeName: type };
}

const attributeCache = new Map<string, Map<string, FieldType>>();

/** The fields of a model type, by JSON name; undefined for a type client-node does not know. */
export function fieldsOf(typeName: string): Map<string, FieldType> | undefined {
  const cached = attributeCache.get(typeName);
  if (cached) return cached;
  const model = (models as unknown as Record<string, { attributeTypeMap?: Attribute[] } | undefined>)[typeName];
  if (!model?.attributeTypeMap) return undefined;
  const fields = new Map(model.attributeTypeMap.map((attribute) => [attribute.baseName, parseFieldType(attribute.type)] as const));
  attributeCache.set(typeName, fields);
  return fields;
}

export function fieldType(typeName: string, field: string): FieldType | undefined {
  return fieldsOf(typeName)?.get(field);
}

/** Paths of fields the schema does not know, written as the API server reports them (`spec.template.spec.containers[0].foo`). */
export function unknownFields(value: unknown, type: FieldType, path = ""): string[] {
  if (type.kind === "struct") {
    const fields = fieldsOf(type.typeName);
    if (!fields || !isPlainObject(value)) return [];
    return Object.entries(value).flatMap(([key, item]) => {
      const child = fields.get(key);
      const childPath = path ? `${path}.${key}` : key;
      return child ? unknownFields(item, child, childPath) : [childPath];
    });
  }
  if (type.kind === "array" && Array.isArray(value)) return value.flatMap((item, index) => unknownFields(item, type.items, `${path}[${index}]`));
  if (type.kind === "map" && isPlainObject(value)) return Object.entries(value).flatMap(([key, item]) => unknownFields(item, type.values, `${path}[${key}]`));
  return [];
}

/**
 * Lists whose items are identified by keys rather than position (the Go
 * types' `patchMergeKey` / `listMapKeys`). The first key is the strategic
 * merge patch key; all keys together identify an item for server-side apply.
 * Lists not named here are atomic: a patch or an apply replaces them whole.
 */
const keyedLists: Record<string, string[]> = {
  "V1PodSpec.containers": ["name"],
  "V1PodSpec.initContainers": ["name"],
  "V1PodSpec.ephemeralContainers": ["name"],
  "V1PodSpec.volumes": ["name"],
  "V1PodSpec.imagePullSecrets": ["name"],
  "V1PodSpec.hostAliases": ["ip"],
  "V1Container.ports": ["containerPort", "protocol"],
  "V1Container.env": ["name"],
  "V1Container.volumeMounts": ["mountPath"],
  "V1Container.volumeDevices": ["devicePath"],
  "V1Container.resizePolicy": ["resourceName"],
  "V1ServiceSpec.ports": ["port", "protocol"],
  "V1ObjectMeta.ownerReferences": ["uid"],
  "V1DeploymentStatus.conditions": ["type"],
  "V1ReplicaSetStatus.conditions": ["type"],
  "V1PodStatus.conditions": ["type"],
  "V1NamespaceStatus.conditions": ["type"],
  "V1ServiceAccount.secrets": ["name"],
};

/** Lists of scalars that merge as sets (strategic merge and apply keep other owners' items). */
const setLists = new Set(["V1ObjectMeta.finalizers"]);

/** Structs that apply treats as one value (`+structType=atomic`): owning the selector means owning all of it. */
const atomicStructs = new Set(["V1LabelSelector"]);

/** Defaults the API server puts into a key field, so `{containerPort: 80}` and `{containerPort: 80, protocol: TCP}` are one item. */
const keyDefaults: Record<string, string> = { protocol: "TCP" };

export function listKeys(parentType: string, field: string): string[] | undefined {
  return keyedLists[`${parentType}.${field}`];
}

export function isSetList(parentType: string, field: string): boolean {
  return setLists.has(`${parentType}.${field}`);
}

export function isAtomicStruct(typeName: string): boolean {
  return atomicStructs.has(typeName);
}

/** The identity of a keyed list item, with defaulted key fields filled in. */
export function itemKey(item: unknown, keys: string[]): Record<string, unknown> | undefined {
  if (!isPlainObject(item)) return undefined;
  const key: Record<string, unknown> = {};
  for (const name of keys) {
    const value = item[name] ?? keyDefaults[name];
    if (value === undefined) return undefined;
    key[name] = value;
  }
  return key;
}

export function sameKey(a: Record<string, unknown> | undefined, b: Record<string, unknown> | undefined): boolean {
  if (!a || !b) return false;
  return Object.keys(a).every((name) => a[name] === b[name]);
}
