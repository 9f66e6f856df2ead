// A pod as the ReplicaSet controller asks for it and the API server stores
// it: from the RS's template with a generated name and owner reference,
// then what the API server adds on the way in (requests defaulted from
// limits, the LimitRanger's container defaults, default tolerations, the
// service account) so the quota check sees what a real cluster would.
import { clone, isPlainObject, type JsonObject, type KubeObject } from "../objects";
import type { ControllerContext } from "./context";
import { containerResources } from "./quota";
import { limitRanges, pods } from "./types";
import { controllerReference, randomSuffix } from "./writes";

function containersOf(spec: JsonObject): JsonObject[] {
  return [...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])].filter(isPlainObject);
}

function resourcesOf(container: JsonObject): { requests: JsonObject; limits: JsonObject } {
  const resources = isPlainObject(container.resources) ? container.resources : {};
  const requests = isPlainObject(resources.requests) ? resources.requests : {};
  const limits = isPlainObject(resources.limits) ? resources.limits : {};
  container.resources = { ...resources, requests, limits };
  return { requests, limits };
}

/** Core defaulting: a resource with a limit and no request requests its limit. */
function defaultRequestsFromLimits(spec: JsonObject): void {
  for (const container of containersOf(spec)) {
    const { requests, limits } = resourcesOf(container);
    for (const [resource, limit] of Object.entries(limits)) if (requests[resource] === undefined) requests[resource] = limit;
  }
}

/** The LimitRanger admission plugin: container defaults from the namespace's LimitRanges, and the annotation it leaves. */
function applyLimitRanges(ctx: ControllerContext, namespace: string, pod: KubeObject, spec: JsonObject): void {
  const notes: string[] = [];
  for (const range of ctx.store.list(limitRanges, namespace)) {
    const items = isPlainObject(range.spec) && Array.isArray(range.spec.limits) ? range.spec.limits.filter(isPlainObject) : [];
    for (const item of items.filter((entry) => entry.type === "Container")) {
      const defaultLimits = isPlainObject(item.default) ? item.default : isPlainObject(item.max) ? item.max : {};
      const defaultRequests = { ...defaultLimits, ...(isPlainObject(item.defaultRequest) ? item.defaultRequest : {}) };
      for (const container of Array.isArray(spec.containers) ? spec.containers.filter(isPlainObject) : []) {
        const { requests, limits } = resourcesOf(container);
        const setRequests = Object.keys(defaultRequests).filter((resource) => requests[resource] === undefined && limits[resource] === undefined).sort();
        const setLimits = Object.keys(defaultLimits).filter((resource) => limits[resource] === undefined).sort();
        for (const resource of setRequests) requests[resource] = defaultRequests[resource];
        for (const resource of setLimits) limits[resource] = defaultLimits[resource];
        if (setRequests.length) notes.push(`${setRequests.join(", ")} request for container ${String(container.name)}`);
        if (setLimits.length) notes.push(`${setLimits.join(", ")} limit for container ${String(container.name)}`);
      }
    }
  }
  if (notes.length) pod.metadata.annotations = { ...pod.metadata.annotations, "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${notes.join("; ")}` };
}

function dropEmptyResources(spec: JsonObject): void {
  for (const container of containersOf(spec)) {
    const resources = isPlainObject(container.resources) ? container.resources : {};
    for (const field of ["requests", "limits"]) if (isPlainObject(resources[field]) && Object.keys(resources[field]).length === 0) delete resources[field];
  }
}

/** QoS class, from the pod's requests and limits as the API server computes it. */
export function qosClass(spec: JsonObject): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = containerResources([...(Array.isArray(spec.containers) ? spec.containers : []), ...(Array.isArray(spec.initContainers) ? spec.initContainers : [])]);
  const any = containers.some((container) => Object.keys(container.requests).length > 0 || Object.keys(container.limits).length > 0);
  if (!any) return "BestEffort";
  const guaranteed = containers.every((container) =>
    ["cpu", "memory"].every((resource) => container.limits[resource] !== undefined && (container.requests[resource] === undefined || String(container.requests[resource]) === String(container.limits[resource]))),
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

const defaultTolerations = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
];

export function podForReplicaSet(ctx: ControllerContext, replicaSet: KubeObject): KubeObject {
  const namespace = replicaSet.metadata.namespace ?? "";
  const rsSpec = isPlainObject(replicaSet.spec) ? replicaSet.spec : {};
  const template = isPlainObject(rsSpec.template) ? clone(rsSpec.template) : {};
  const templateMeta = isPlainObject(template.metadata) ? template.metadata : {};
  const spec: JsonObject = isPlainObject(template.spec) ? template.spec : {};
  const prefix = `${replicaSet.metadata.name ?? ""}-`;
  let name = prefix + randomSuffix();
  while (ctx.store.get(pods, namespace, name)) name = prefix + randomSuffix();
  const pod: KubeObject = {
    metadata: {
      name,
      generateName: prefix,
      namespace,
      labels: isPlainObject(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : {},
      ownerReferences: [controllerReference(replicaSet)],
    },
    spec,
  };
  if (isPlainObject(templateMeta.annotations)) pod.metadata.annotations = templateMeta.annotations as Record<string, string>;
  defaultRequestsFromLimits(spec);
  applyLimitRanges(ctx, namespace, pod, spec);
  dropEmptyResources(spec);
  spec.serviceAccountName ??= "default";
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations.filter(isPlainObject) : [];
  spec.tolerations = [...tolerations, ...defaultTolerations.filter((toleration) => !tolerations.some((existing) => existing.key === toleration.key))];
  pod.status = { phase: "Pending", qosClass: qosClass(spec) };
  return pod;
}
