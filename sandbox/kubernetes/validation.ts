// What the API server checks before it stores an object: the decoder (JSON
// types, unknown fields), the OpenAPI schema (kubernetes-models' validators),
// object metadata (names, labels) and the per-kind rules Wharf's objects meet
// in production (selector matches template, ports, quantities, immutables).
// Decoding problems are 400 BadRequest, everything else 422 Invalid with one
// cause per field, as the real server reports them.
import { badRequest, invalid, type StatusCause } from "./status";
import { isQuantity, labelValueErrors, nameErrors, qualifiedNameErrors, dns1123LabelErrors } from "./names";
import { deepEqual, isPlainObject, type JsonObject, type KubeObject } from "./objects";
import { unknownFields, type FieldType } from "./schema";
import { labelSelectorObjectMatches } from "./selectors";
import { apiVersionOf, type NameRule, type ResourceType } from "./resources";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function parseFieldValidation(value: string | undefined): FieldValidation {
  if (value === undefined || value === "" || value === "Warn") return "Warn";
  if (value === "Strict" || value === "Ignore") return value;
  throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${value}"`);
}

/** Go's %#v rendering of a value, which Invalid messages embed. */
function goValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (isPlainObject(value) && Object.values(value).every((item) => typeof item === "string")) {
    return `map[string]string{${Object.entries(value)
      .map(([key, item]) => `${JSON.stringify(key)}:${JSON.stringify(item)}`)
      .join(", ")}}`;
  }
  return JSON.stringify(value);
}

const required = (field: string, detail?: string): StatusCause => ({
  reason: "FieldValueRequired",
  message: detail ? `Required value: ${detail}` : "Required value",
  field,
});
const invalidValue = (field: string, value: unknown, detail: string): StatusCause => ({
  reason: "FieldValueInvalid",
  message: `Invalid value: ${goValue(value)}: ${detail}`,
  field,
});
const notSupported = (field: string, value: unknown, supported: string[]): StatusCause => ({
  reason: "FieldValueNotSupported",
  message: `Unsupported value: ${goValue(value)}: supported values: ${supported.map((item) => `"${item}"`).join(", ")}`,
  field,
});
const duplicate = (field: string, value: unknown): StatusCause => ({ reason: "FieldValueDuplicate", message: `Duplicate value: ${goValue(value)}`, field });

/** Checks apiVersion and kind against the URL, as the decoder does before anything else. */
export function checkTypeMeta(type: ResourceType, object: JsonObject): void {
  const apiVersion = apiVersionOf(type);
  if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (object.kind !== undefined && object.kind !== type.kind) {
    throw badRequest(`the kind in the data (${String(object.kind)}) does not match the expected kind (${type.kind})`);
  }
}

/** Unknown fields: Strict refuses them (400), Warn returns them as warnings, Ignore drops the question. */
export function checkUnknownFields(type: ResourceType, object: unknown, mode: FieldValidation): string[] {
  if (mode === "Ignore") return [];
  const root: FieldType = { kind: "struct", typeName: type.modelType };
  const unknown = unknownFields(object, root).map((path) => `unknown field "${path}"`);
  if (unknown.length > 0 && mode === "Strict") throw badRequest(`strict decoding error: ${unknown.join(", ")}`);
  return unknown;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

function fieldPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), "");
}

function valueAt(object: unknown, instancePath: string): unknown {
  let current = object;
  for (const part of instancePath.split("/").slice(1)) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    current = Array.isArray(current) ? current[Number(key)] : isPlainObject(current) ? current[key] : undefined;
  }
  return current;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value;
}

/** Runs the kubernetes-models (OpenAPI) validator: type mismatches are decode errors, the rest Invalid causes. */
function schemaCauses(type: ResourceType, object: KubeObject): StatusCause[] {
  try {
    new type.model(object as never).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: AjvError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    // int-or-string fields fail both branches of a oneOf; report the oneOf only.
    const typeError = errors.find((item) => item.keyword === "type" || item.keyword === "oneOf" || item.keyword === "anyOf");
    if (typeError) {
      const value = valueAt(object, typeError.instancePath);
      const expected = typeError.params.type ?? "int or string";
      throw badRequest(
        `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ` +
          `${jsonType(value)} into Go struct field ${type.kind}.${fieldPath(typeError.instancePath)} of type ${String(expected)}`,
      );
    }
    return errors.map((item) => {
      const field = fieldPath(item.instancePath);
      if (item.keyword === "required") return required(field ? `${field}.${String(item.params.missingProperty)}` : String(item.params.missingProperty));
      const value = valueAt(object, item.instancePath);
      if (item.keyword === "enum") return notSupported(field, value, (item.params.allowedValues as unknown[]).map(String));
      return invalidValue(field, value, item.message ?? item.keyword);
    });
  }
}

/** Metadata rules; `nameRule` is set for an object's own metadata, unset for a pod template's. */
function metadataCauses(metadata: JsonObject, prefix: string, nameRule?: NameRule): StatusCause[] {
  const causes: StatusCause[] = [];
  if (nameRule) {
    const name = metadata.name;
    if (typeof name !== "string" || name === "") causes.push(required(`${prefix}.name`, "name or generateName is required"));
    else for (const message of nameErrors(nameRule, name)) causes.push(invalidValue(`${prefix}.name`, name, message));
  }
  for (const field of ["labels", "annotations"] as const) {
    const entries = metadata[field];
    if (!isPlainObject(entries)) continue;
    for (const [key, value] of Object.entries(entries)) {
      for (const message of qualifiedNameErrors(key)) causes.push(invalidValue(`${prefix}.${field}`, key, message));
      if (field === "labels") for (const message of labelValueErrors(String(value))) causes.push(invalidValue(`${prefix}.labels`, value, message));
    }
  }
  return causes;
}

/** Paths of values that do not parse as resource.Quantity. */
function badQuantities(resources: unknown, field: string): string[] {
  if (!isPlainObject(resources)) return [];
  return Object.entries(resources)
    .filter(([, value]) => !isQuantity(value))
    .map(([name]) => `${field}[${name}]`);
}

const quantityMessage = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Quantities are parsed while decoding, so a bad one is a 400 before any other check, as on a real server. */
function checkQuantities(type: ResourceType, object: KubeObject): void {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const paths: string[] = [];
  const containerLists = [spec.containers, isPlainObject(spec.template) && isPlainObject(spec.template.spec) ? spec.template.spec.containers : undefined];
  for (const list of containerLists) {
    if (!Array.isArray(list)) continue;
    for (const container of list) {
      const resources = isPlainObject(container) && isPlainObject(container.resources) ? container.resources : {};
      paths.push(...badQuantities(resources.requests, "resources.requests"), ...badQuantities(resources.limits, "resources.limits"));
    }
  }
  if (type.kind === "ResourceQuota") paths.push(...badQuantities(spec.hard, "spec.hard"));
  if (type.kind === "LimitRange" && Array.isArray(spec.limits)) {
    for (const limit of spec.limits) {
      if (isPlainObject(limit))
        for (const field of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) paths.push(...badQuantities(limit[field], field));
    }
  }
  if (paths.length > 0) throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: ${quantityMessage}`);
}

function podSpecCauses(spec: unknown, field: string, restartPolicies: string[]): StatusCause[] {
  if (!isPlainObject(spec)) return [];
  const causes: StatusCause[] = [];
  const containers = Array.isArray(spec.containers) ? spec.containers : [];
  if (containers.length === 0) causes.push(required(`${field}.containers`));
  const seen = new Set<string>();
  containers.forEach((container, index) => {
    if (!isPlainObject(container)) return;
    const at = `${field}.containers[${index}]`;
    const name = typeof container.name === "string" ? container.name : "";
    for (const message of dns1123LabelErrors(name)) causes.push(invalidValue(`${at}.name`, name, message));
    if (seen.has(name)) causes.push(duplicate(`${at}.name`, name));
    seen.add(name);
    if (typeof container.image !== "string" || container.image.trim() === "") causes.push(required(`${at}.image`));
    const ports = Array.isArray(container.ports) ? container.ports : [];
    ports.forEach((port, portIndex) => {
      const number = isPlainObject(port) ? port.containerPort : undefined;
      if (typeof number === "number" && (number < 1 || number > 65535))
        causes.push(invalidValue(`${at}.ports[${portIndex}].containerPort`, number, "must be between 1 and 65535, inclusive"));
    });
  });
  const policy = spec.restartPolicy;
  if (typeof policy === "string" && !restartPolicies.includes(policy)) causes.push(notSupported(`${field}.restartPolicy`, policy, restartPolicies));
  return causes;
}

function workloadCauses(spec: unknown, kind: "Deployment" | "ReplicaSet"): StatusCause[] {
  if (!isPlainObject(spec)) return [];
  const causes: StatusCause[] = [];
  if (typeof spec.replicas === "number" && spec.replicas < 0) causes.push(invalidValue("spec.replicas", spec.replicas, "must be greater than or equal to 0"));
  const selector = spec.selector;
  const template = isPlainObject(spec.template) ? spec.template : {};
  const templateMeta = isPlainObject(template.metadata) ? template.metadata : {};
  const labels = isPlainObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : undefined;
  const selectorIsEmpty =
    isPlainObject(selector) &&
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (!Array.isArray(selector.matchExpressions) || selector.matchExpressions.length === 0);
  if (selectorIsEmpty)
    causes.push(invalidValue("spec.selector", selector, `empty selector is invalid for ${kind === "Deployment" ? "deployment" : "replicaset"}`));
  else if (isPlainObject(selector) && !labelSelectorObjectMatches(selector, labels)) {
    causes.push(invalidValue("spec.template.metadata.labels", labels ?? {}, "`selector` does not match template `labels`"));
  }
  causes.push(...metadataCauses(templateMeta, "spec.template.metadata"));
  causes.push(...podSpecCauses(template.spec, "spec.template.spec", ["Always"]));
  if (kind === "Deployment" && isPlainObject(spec.strategy)) {
    const strategyType = spec.strategy.type;
    if (strategyType === "Recreate" && spec.strategy.rollingUpdate !== undefined) {
      causes.push({
        reason: "FieldValueForbidden",
        message: "Forbidden: may not be specified when strategy `type` is 'Recreate'",
        field: "spec.strategy.rollingUpdate",
      });
    }
  }
  return causes;
}

function serviceCauses(spec: unknown): StatusCause[] {
  if (!isPlainObject(spec)) return [];
  const causes: StatusCause[] = [];
  const serviceType = spec.type ?? "ClusterIP";
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  if (ports.length === 0 && serviceType !== "ExternalName" && spec.clusterIP !== "None") causes.push(required("spec.ports"));
  ports.forEach((port, index) => {
    if (!isPlainObject(port)) return;
    if (typeof port.port === "number" && (port.port < 1 || port.port > 65535))
      causes.push(invalidValue(`spec.ports[${index}].port`, port.port, "must be between 1 and 65535, inclusive"));
    if (ports.length > 1 && !port.name) causes.push(required(`spec.ports[${index}].name`));
  });
  return causes;
}

function kindCauses(type: ResourceType, object: KubeObject): StatusCause[] {
  switch (type.kind) {
    case "Deployment":
    case "ReplicaSet":
      return workloadCauses(object.spec, type.kind);
    case "Pod":
      return podSpecCauses(object.spec, "spec", ["Always", "OnFailure", "Never"]);
    case "Service":
      return serviceCauses(object.spec);
    case "RoleBinding": {
      const roleRef = isPlainObject(object.roleRef) ? object.roleRef : {};
      if (roleRef.kind !== undefined && roleRef.kind !== "Role" && roleRef.kind !== "ClusterRole")
        return [notSupported("roleRef.kind", roleRef.kind, ["Role", "ClusterRole"])];
      return [];
    }
    default:
      return [];
  }
}

/** Fields that may not change after creation, with the message the API server gives. */
function immutableCauses(type: ResourceType, object: KubeObject, old: KubeObject): StatusCause[] {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const oldSpec = isPlainObject(old.spec) ? old.spec : {};
  if ((type.kind === "Deployment" || type.kind === "ReplicaSet") && !deepEqual(spec.selector, oldSpec.selector))
    return [invalidValue("spec.selector", spec.selector, "field is immutable")];
  if (type.kind === "RoleBinding" && !deepEqual(object.roleRef, old.roleRef)) return [invalidValue("roleRef", object.roleRef, "cannot change roleRef")];
  return [];
}

/** Throws 400 or 422 as the API server would for this object; `old` is set on updates. */
export function validateObject(type: ResourceType, object: KubeObject, old?: KubeObject): void {
  const name = object.metadata.name ?? "";
  checkQuantities(type, object);
  const causes = [...metadataCauses(object.metadata, "metadata", type.nameRule), ...schemaCauses(type, object), ...kindCauses(type, object)];
  if (old) causes.push(...immutableCauses(type, object, old));
  const unique = causes.filter((cause, index) => causes.findIndex((other) => other.field === cause.field && other.message === cause.message) === index);
  if (unique.length > 0) throw invalid(type, name, unique);
}
