// The `/scale` subresource of Deployments and ReplicaSets, as autoscaling/v1
// Scale: what `kubectl scale` (a merge patch of `{"spec":{"replicas":N}}`)
// and autoscalers read and write. A write changes only the workload's
// `spec.replicas`, through the same write path as any update, so generation,
// managedFields and the controller react as to an edit of the workload.
import { isPlainObject, type JsonObject, type KubeObject } from "./objects";
import type { ClusterOperations, WriteOptions } from "./operations";
import { jsonPatch, mergePatch, type PatchType } from "./patch";
import type { ResourceType } from "./resources";
import { badRequest, conflict, invalid, staleObjectMessage } from "./status";

const scaleType = { group: "autoscaling", plural: "scales", kind: "Scale" };

export function hasScale(type: Pick<ResourceType, "kind">): boolean {
  return type.kind === "Deployment" || type.kind === "ReplicaSet";
}

/** metav1.LabelSelectorAsSelector(...).String() for the selector forms workloads use. */
function selectorString(selector: unknown): string {
  if (!isPlainObject(selector)) return "";
  const parts: string[] = [];
  const labels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const key of Object.keys(labels)) parts.push(`${key}=${String(labels[key])}`);
  for (const expression of Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isPlainObject) : []) {
    const values = Array.isArray(expression.values) ? [...expression.values].map(String).sort().join(",") : "";
    const key = String(expression.key);
    if (expression.operator === "In") parts.push(`${key} in (${values})`);
    else if (expression.operator === "NotIn") parts.push(`${key} notin (${values})`);
    else if (expression.operator === "Exists") parts.push(key);
    else if (expression.operator === "DoesNotExist") parts.push(`!${key}`);
  }
  return parts.sort().join(",");
}

export function scaleOf(object: KubeObject): JsonObject {
  const spec = isPlainObject(object.spec) ? object.spec : {};
  const status = isPlainObject(object.status) ? object.status : {};
  const { name, namespace, uid, resourceVersion, creationTimestamp } = object.metadata;
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas: typeof spec.replicas === "number" ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === "number" ? status.replicas : 0, selector: selectorString(spec.selector) },
  };
}

export type ScaleChange = { kind: "replace"; body: unknown } | { kind: "patch"; patchType: PatchType; body: unknown };

export function updateScale(
  operations: ClusterOperations,
  type: ResourceType,
  namespace: string,
  name: string,
  change: ScaleChange,
  options: WriteOptions,
): JsonObject {
  const current = operations.get(type, namespace, name);
  const before = scaleOf(current);
  let wanted: unknown;
  if (change.kind === "replace") wanted = change.body;
  else if (change.patchType === "json") wanted = jsonPatch(before, change.body);
  else if (change.patchType === "apply") throw badRequest("apply patches are not supported on the scale subresource by the sandbox");
  else wanted = mergePatch(before, change.body);
  if (!isPlainObject(wanted)) throw badRequest("the body must be a Scale object");
  const metadata = isPlainObject(wanted.metadata) ? wanted.metadata : {};
  if (typeof metadata.resourceVersion === "string" && metadata.resourceVersion !== "" && metadata.resourceVersion !== current.metadata.resourceVersion) {
    throw conflict(type, name, staleObjectMessage);
  }
  const replicas = isPlainObject(wanted.spec) ? wanted.spec.replicas : undefined;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid(scaleType, name, [
      {
        reason: "FieldValueInvalid",
        field: "spec.replicas",
        message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
      },
    ]);
  }
  const result = operations.patch(
    type,
    namespace,
    name,
    "merge",
    { metadata: { resourceVersion: current.metadata.resourceVersion }, spec: { replicas } },
    options,
  );
  return scaleOf(result.object);
}
