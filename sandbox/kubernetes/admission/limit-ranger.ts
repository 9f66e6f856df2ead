// The LimitRanger admission plugin (plugin/pkg/admission/limitranger): on pod
// create it fills container requests and limits from the namespace's
// LimitRanges (`default`, `defaultRequest`, which the API server has already
// defaulted from `max` and `min`) and records what it set in the
// `kubernetes.io/limit-ranger` annotation; then it refuses pods outside
// `min`, `max` or `maxLimitRequestRatio`, with the plugin's own messages.
import { canonical, formatMilli, formatOf, toMilli, type QuantityFormat } from "../quantities";
import { isPlainObject, type JsonObject, type KubeObject } from "../objects";
import { findResource, type ResourceType } from "../resources";
import type { ClusterStore } from "../store";

const limitRanges = findResource("", "v1", "limitranges") as ResourceType;

type ResourceList = Record<string, unknown>;

function itemsOf(store: ClusterStore, namespace: string): JsonObject[] {
  return store
    .view(limitRanges, namespace)
    .flatMap((range) => (isPlainObject(range.spec) && Array.isArray(range.spec.limits) ? range.spec.limits.filter(isPlainObject) : []));
}

function list(value: unknown): ResourceList {
  return isPlainObject(value) ? value : {};
}

function containersOf(spec: JsonObject, field: "containers" | "initContainers"): JsonObject[] {
  const value = spec[field];
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/** The container's requests and limits maps, created when missing (callers drop empty ones after). */
function resourcesOf(container: JsonObject): { requests: ResourceList; limits: ResourceList } {
  const resources = isPlainObject(container.resources) ? container.resources : {};
  const requests = list(resources.requests);
  const limits = list(resources.limits);
  container.resources = { ...resources, requests, limits };
  return { requests, limits };
}

/** Mutating half: container defaults from every Container item, as mergeContainerResources does. */
export function defaultContainerResources(store: ClusterStore, pod: KubeObject): void {
  const spec = isPlainObject(pod.spec) ? pod.spec : undefined;
  if (!spec) return;
  const items = itemsOf(store, pod.metadata.namespace ?? "").filter((item) => item.type === "Container");
  if (items.length === 0) return;
  const defaultLimits: ResourceList = {};
  const defaultRequests: ResourceList = {};
  for (const item of items) {
    Object.assign(defaultRequests, list(item.defaultRequest));
    Object.assign(defaultLimits, list(item.default));
  }
  const notes: string[] = [];
  for (const [field, prefix] of [
    ["containers", "container"],
    ["initContainers", "init container"],
  ] as const) {
    for (const container of containersOf(spec, field)) {
      const { requests, limits } = resourcesOf(container);
      const setLimits = Object.keys(defaultLimits)
        .filter((resource) => limits[resource] === undefined)
        .sort();
      const setRequests = Object.keys(defaultRequests)
        .filter((resource) => requests[resource] === undefined)
        .sort();
      for (const resource of setLimits) limits[resource] = defaultLimits[resource];
      for (const resource of setRequests) requests[resource] = defaultRequests[resource];
      if (setRequests.length) notes.push(`${setRequests.join(", ")} request for ${prefix} ${String(container.name)}`);
      if (setLimits.length) notes.push(`${setLimits.join(", ")} limit for ${prefix} ${String(container.name)}`);
    }
  }
  if (notes.length) pod.metadata.annotations = { ...pod.metadata.annotations, "kubernetes.io/limit-ranger": `LimitRanger plugin set: ${notes.join("; ")}` };
}

function show(value: unknown): string {
  return canonical(value) ?? String(value);
}

function minConstraint(kind: string, resource: string, enforced: unknown, requests: ResourceList, limits: ResourceList): string | undefined {
  const minimum = toMilli(enforced) ?? 0;
  if (requests[resource] === undefined) return `minimum ${resource} usage per ${kind} is ${show(enforced)}.  No request is specified`;
  if ((toMilli(requests[resource]) ?? 0) < minimum)
    return `minimum ${resource} usage per ${kind} is ${show(enforced)}, but request is ${show(requests[resource])}`;
  if (limits[resource] !== undefined && (toMilli(limits[resource]) ?? 0) < minimum)
    return `minimum ${resource} usage per ${kind} is ${show(enforced)}, but limit is ${show(limits[resource])}`;
  return undefined;
}

function maxConstraint(kind: string, resource: string, enforced: unknown, requests: ResourceList, limits: ResourceList): string | undefined {
  const maximum = toMilli(enforced) ?? 0;
  if (limits[resource] === undefined) return `maximum ${resource} usage per ${kind} is ${show(enforced)}.  No limit is specified`;
  if ((toMilli(limits[resource]) ?? 0) > maximum) return `maximum ${resource} usage per ${kind} is ${show(enforced)}, but limit is ${show(limits[resource])}`;
  if (requests[resource] !== undefined && (toMilli(requests[resource]) ?? 0) > maximum)
    return `maximum ${resource} usage per ${kind} is ${show(enforced)}, but request is ${show(requests[resource])}`;
  return undefined;
}

function ratioConstraint(kind: string, resource: string, enforced: unknown, requests: ResourceList, limits: ResourceList): string | undefined {
  const request = toMilli(requests[resource]) ?? 0;
  const limit = toMilli(limits[resource]) ?? 0;
  if (request === 0) return `${resource} max limit to request ratio per ${kind} is ${show(enforced)}, but no request is specified or request is 0`;
  if (limit === 0) return `${resource} max limit to request ratio per ${kind} is ${show(enforced)}, but no limit is specified or limit is 0`;
  const ratio = limit / request;
  // Go prints the observed ratio with %f.
  return ratio * 1000 > (toMilli(enforced) ?? 0)
    ? `${resource} max limit to request ratio per ${kind} is ${show(enforced)}, but provided ratio is ${ratio.toFixed(6)}`
    : undefined;
}

function checkAll(kind: string, item: JsonObject, requests: ResourceList, limits: ResourceList): string[] {
  const errors: string[] = [];
  for (const [field, check] of [
    ["min", minConstraint],
    ["max", maxConstraint],
    ["maxLimitRequestRatio", ratioConstraint],
  ] as const) {
    for (const [resource, enforced] of Object.entries(list(item[field])).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const error = check(kind, resource, enforced, requests, limits);
      if (error) errors.push(error);
    }
  }
  return errors;
}

/** Sum over containers, or the largest init container when that is more (podRequests/podLimits). */
function podTotals(spec: JsonObject, field: "requests" | "limits"): ResourceList {
  const totals = new Map<string, number>();
  const formats = new Map<string, QuantityFormat>();
  for (const init of [false, true]) {
    for (const container of containersOf(spec, init ? "initContainers" : "containers")) {
      for (const [resource, value] of Object.entries(list(list(container.resources)[field]))) {
        const milli = toMilli(value) ?? 0;
        totals.set(resource, init ? Math.max(totals.get(resource) ?? 0, milli) : (totals.get(resource) ?? 0) + milli);
        if (!formats.has(resource)) formats.set(resource, formatOf(value));
      }
    }
  }
  return Object.fromEntries([...totals].map(([resource, milli]) => [resource, formatMilli(milli, formats.get(resource))]));
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated in brackets. */
function aggregate(errors: string[]): string | undefined {
  const unique = [...new Set(errors)];
  if (unique.length === 0) return undefined;
  return unique.length === 1 ? unique[0] : `[${unique.join(", ")}]`;
}

/** Validating half: why the pod is outside the namespace's limits, or undefined. */
export function limitRangeRefusal(store: ClusterStore, pod: KubeObject): string | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : undefined;
  if (!spec) return undefined;
  const errors: string[] = [];
  for (const item of itemsOf(store, pod.metadata.namespace ?? "")) {
    if (item.type === "Container") {
      for (const container of [...containersOf(spec, "containers"), ...containersOf(spec, "initContainers")]) {
        const resources = list(container.resources);
        errors.push(...checkAll("Container", item, list(resources.requests), list(resources.limits)));
      }
    } else if (item.type === "Pod") {
      errors.push(...checkAll("Pod", item, podTotals(spec, "requests"), podTotals(spec, "limits")));
    }
  }
  return aggregate(errors);
}
