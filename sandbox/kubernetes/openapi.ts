// OpenAPI v3 documents, generated from the same client-node models as
// validation. kubectl refuses `apply` without an OpenAPI document, computes
// client-side apply patches from the `x-kubernetes-patch-*` extensions, finds
// schemas by `x-kubernetes-group-version-kind`, and decides whether the server
// validates fields itself by looking for the `fieldValidation` parameter on
// the PATCH operation of the kind's path. Those are the parts served here.
// Schema names are the client-node model names (io.k8s.sandbox.V1Deployment),
// not the real io.k8s.api.* names: kubectl only follows references.
import { createHash } from "node:crypto";
import { fieldsOf, listKeys, isSetList, type FieldType } from "./schema";
import { apiVersionOf, groupVersions, resourceTypes, type ResourceType } from "./resources";

type Schema = Record<string, unknown>;

const schemaPrefix = "io.k8s.sandbox.";

function schemaOf(type: FieldType, parentType: string | undefined, field: string, pending: string[]): Schema {
  switch (type.kind) {
    case "struct":
      pending.push(type.typeName);
      return { $ref: `#/components/schemas/${schemaPrefix}${type.typeName}` };
    case "map":
      return { type: "object", additionalProperties: schemaOf(type.values, undefined, field, pending) };
    case "array": {
      const schema: Schema = { type: "array", items: schemaOf(type.items, undefined, field, pending) };
      const keys = parentType ? listKeys(parentType, field) : undefined;
      if (keys?.[0])
        Object.assign(schema, {
          "x-kubernetes-list-type": "map",
          "x-kubernetes-list-map-keys": keys,
          "x-kubernetes-patch-merge-key": keys[0],
          "x-kubernetes-patch-strategy": "merge",
        });
      else if (parentType && isSetList(parentType, field)) Object.assign(schema, { "x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge" });
      else schema["x-kubernetes-list-type"] = "atomic";
      return schema;
    }
    case "scalar":
      switch (type.scalar) {
        case "string":
          return { type: "string" };
        case "number":
          return { type: "integer" };
        case "boolean":
          return { type: "boolean" };
        case "date":
          return { type: "string", format: "date-time" };
        case "int-or-string":
          return { "x-kubernetes-int-or-string": true };
        case "any":
          return { "x-kubernetes-preserve-unknown-fields": true };
      }
  }
}

function schemasFor(types: ResourceType[]): Record<string, Schema> {
  const schemas: Record<string, Schema> = {};
  const pending = types.map((type) => type.modelType);
  while (pending.length > 0) {
    const typeName = pending.pop() as string;
    if (schemas[`${schemaPrefix}${typeName}`]) continue;
    const fields = fieldsOf(typeName);
    const properties: Record<string, Schema> = {};
    for (const [field, type] of fields ?? []) properties[field] = schemaOf(type, typeName, field, pending);
    const schema: Schema = { type: "object", properties };
    const kind = types.find((candidate) => candidate.modelType === typeName);
    if (kind) schema["x-kubernetes-group-version-kind"] = [{ group: kind.group, kind: kind.kind, version: kind.version }];
    schemas[`${schemaPrefix}${typeName}`] = schema;
  }
  return schemas;
}

const queryParameter = (name: string, type = "string"): Schema => ({ name, in: "query", schema: { type }, description: name });

function operation(type: ResourceType, action: string, parameters: Schema[]): Schema {
  return {
    operationId: `${action}${type.kind}`,
    parameters,
    responses: { "200": { description: "OK", content: { "application/json": { schema: { $ref: `#/components/schemas/${schemaPrefix}${type.modelType}` } } } } },
    "x-kubernetes-action": action,
    "x-kubernetes-group-version-kind": { group: type.group, kind: type.kind, version: type.version },
  };
}

function pathsFor(type: ResourceType): Record<string, Schema> {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const collection = type.namespaced ? `${base}/namespaces/{namespace}/${type.plural}` : `${base}/${type.plural}`;
  const writeParameters = [queryParameter("dryRun"), queryParameter("fieldManager"), queryParameter("fieldValidation")];
  return {
    [collection]: {
      get: operation(type, "list", [
        queryParameter("labelSelector"),
        queryParameter("fieldSelector"),
        queryParameter("limit", "integer"),
        queryParameter("continue"),
        queryParameter("watch", "boolean"),
      ]),
      post: operation(type, "post", writeParameters),
      delete: operation(type, "deletecollection", [queryParameter("labelSelector")]),
    },
    [`${collection}/{name}`]: {
      get: operation(type, "get", []),
      put: operation(type, "put", writeParameters),
      patch: operation(type, "patch", [...writeParameters, queryParameter("force", "boolean")]),
      delete: operation(type, "delete", [queryParameter("dryRun"), queryParameter("propagationPolicy")]),
    },
  };
}

/** `api/v1` or `apis/apps/v1`: the keys of the v3 index and the tail of each document's URL. */
function documentKey(group: string, version: string): string {
  return group ? `apis/${group}/${version}` : `api/${version}`;
}

const documents = new Map<string, { body: string; hash: string }>();

/** The v3 document of one group version, or undefined when it is not served. */
export function openApiDocument(key: string): { body: string; hash: string } | undefined {
  const cached = documents.get(key);
  if (cached) return cached;
  const entry = groupVersions().find((candidate) => documentKey(candidate.group, candidate.version) === key);
  if (!entry) return undefined;
  const types = resourceTypes.filter((type) => apiVersionOf(type) === apiVersionOf(entry));
  const document = {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "v1.32.4" },
    paths: Object.assign({}, ...types.map(pathsFor)) as Record<string, Schema>,
    components: { schemas: schemasFor(types) },
  };
  const body = JSON.stringify(document);
  const built = { body, hash: createHash("sha512").update(body).digest("hex").toUpperCase().slice(0, 128) };
  documents.set(key, built);
  return built;
}

/** The /openapi/v3 index. `serverRelativeURL` is relative to the cluster's base URL: kubectl adds its server path prefix. */
export function openApiIndex(): Record<string, unknown> {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const entry of groupVersions()) {
    const key = documentKey(entry.group, entry.version);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${openApiDocument(key)?.hash ?? ""}` };
  }
  return { paths };
}
