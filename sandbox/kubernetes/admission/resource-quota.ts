// ResourceQuota evaluation, shared by the API server's quota admission (every
// create in a namespace with quotas) and the quota controller (status.used).
// What an object charges follows pkg/quota/v1/evaluator/core; messages follow
// plugin/pkg/admission/resourcequota word for word, because Wharf shows them
// to the team whose rollout is stuck.
import { canonical, formatMilli, formatOf, toMilli } from "../quantities";
import { isPlainObject, type KubeObject } from "../objects";
import { findResource, resourceTypes, type ResourceType } from "../resources";
import type { ClusterStore } from "../store";

type Usage = Map<string, number>;

const quotaType = findResource("", "v1", "resourcequotas") as ResourceType;

interface ContainerResources {
  name: string;
  requests: Record<string, unknown>;
  limits: Record<string, unknown>;
}

export function containerResources(list: unknown): ContainerResources[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isPlainObject).map((container) => {
    const resources = isPlainObject(container.resources) ? container.resources : {};
    return {
      name: typeof container.name === "string" ? container.name : "",
      requests: isPlainObject(resources.requests) ? resources.requests : {},
      limits: isPlainObject(resources.limits) ? resources.limits : {},
    };
  });
}

/** Sum over containers, or the largest init container when that is more, as the scheduler and quota count a pod. */
function podTotal(spec: Record<string, unknown>, field: "requests" | "limits", resource: string): number {
  const sum = containerResources(spec.containers).reduce((total, container) => total + (toMilli(container[field][resource]) ?? 0), 0);
  const init = containerResources(spec.initContainers).reduce((max, container) => Math.max(max, toMilli(container[field][resource]) ?? 0), 0);
  return Math.max(sum, init);
}

function isTerminal(pod: KubeObject): boolean {
  const phase = isPlainObject(pod.status) ? pod.status.phase : undefined;
  return phase === "Succeeded" || phase === "Failed";
}

/** What one pod charges against a quota, by quota resource name, in milli-units. */
export function podUsage(pod: KubeObject): Usage {
  const usage: Usage = new Map();
  if (isTerminal(pod)) return usage;
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  usage.set("pods", 1000);
  usage.set("count/pods", 1000);
  for (const resource of ["cpu", "memory", "ephemeral-storage"]) {
    const requested = podTotal(spec, "requests", resource);
    usage.set(`requests.${resource}`, requested);
    usage.set(`limits.${resource}`, podTotal(spec, "limits", resource));
    usage.set(resource, requested);
  }
  return usage;
}

/** A Service counts once, its ports as node ports when it opens them, and once more as a load balancer. */
function serviceUsage(service: KubeObject): Usage {
  const spec = isPlainObject(service.spec) ? service.spec : {};
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) : [];
  const usage: Usage = new Map([
    ["services", 1000],
    ["count/services", 1000],
  ]);
  if (spec.type === "NodePort") usage.set("services.nodeports", ports.length * 1000);
  if (spec.type === "LoadBalancer") {
    const allocates = spec.allocateLoadBalancerNodePorts !== false;
    usage.set("services.nodeports", (allocates ? ports.length : ports.filter((port) => port.nodePort !== undefined).length) * 1000);
    usage.set("services.loadbalancers", 1000);
  }
  return usage;
}

/** `count/pods`, `count/deployments.apps`: the object count quota names for a resource. */
function countName(type: ResourceType): string {
  return type.group ? `count/${type.plural}.${type.group}` : `count/${type.plural}`;
}

/** What one object of `type` charges, by quota resource name, in milli-units. */
export function usageOf(type: ResourceType, object: KubeObject): Usage {
  if (type.kind === "Pod") return podUsage(object);
  if (type.kind === "Service") return serviceUsage(object);
  const usage: Usage = new Map([[countName(type), 1000]]);
  // The legacy name ResourceQuota keeps for itself, beside count/resourcequotas.
  if (type.kind === "ResourceQuota") usage.set("resourcequotas", 1000);
  return usage;
}

const podResourceNames = /^(pods|cpu|memory|ephemeral-storage|(requests|limits)\..+)$/;

/** The served type a quota resource name charges, if any (`requests.cpu` → pods, `services.loadbalancers` → services). */
function typeCharged(resourceName: string): ResourceType | undefined {
  if (podResourceNames.test(resourceName)) return findResource("", "v1", "pods");
  if (resourceName === "services" || resourceName.startsWith("services.")) return findResource("", "v1", "services");
  if (resourceName === "resourcequotas") return findResource("", "v1", "resourcequotas");
  const count = /^count\/([^.]+)(?:\.(.+))?$/.exec(resourceName);
  if (!count) return undefined;
  return resourceTypes.find((type) => type.plural === count[1] && type.group === (count[2] ?? ""));
}

/** Current usage in a namespace of every resource in `names`; names the sandbox has no objects for (PVC storage, secrets) are honestly zero. */
export function namespaceUsage(store: ClusterStore, namespace: string, names: Iterable<string>): Usage {
  const total: Usage = new Map();
  const types = new Set<ResourceType>();
  for (const name of names) {
    total.set(name, 0);
    const type = typeCharged(name);
    if (type) types.add(type);
  }
  for (const type of types) {
    for (const object of store.view(type, namespace)) {
      for (const [resource, milli] of usageOf(type, object as KubeObject)) if (total.has(resource)) total.set(resource, (total.get(resource) ?? 0) + milli);
    }
  }
  return total;
}

export function hardOf(quota: KubeObject): Record<string, unknown> {
  const spec = isPlainObject(quota.spec) ? quota.spec : {};
  return isPlainObject(spec.hard) ? spec.hard : {};
}

/** Quota resources whose every container must state a request or limit (a compatibility rule the API server still enforces). */
const mustSpecify: Record<string, { field: "requests" | "limits"; resource: string }> = {
  cpu: { field: "requests", resource: "cpu" },
  "requests.cpu": { field: "requests", resource: "cpu" },
  memory: { field: "requests", resource: "memory" },
  "requests.memory": { field: "requests", resource: "memory" },
  "limits.cpu": { field: "limits", resource: "cpu" },
  "limits.memory": { field: "limits", resource: "memory" },
};

function missingResources(pod: KubeObject, hard: Record<string, unknown>): string | undefined {
  const spec = isPlainObject(pod.spec) ? pod.spec : {};
  const containers = [...containerResources(spec.containers), ...containerResources(spec.initContainers)];
  const missing: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const rule = mustSpecify[resource];
    if (!rule) continue;
    const names = containers
      .filter((container) => container[rule.field][rule.resource] === undefined)
      .map((container) => container.name)
      .sort();
    if (names.length > 0) missing.push(`${resource} for: ${names.join(",")}`);
  }
  return missing.length > 0 ? `must specify ${missing.join("; ")}` : undefined;
}

function prettyPrint(values: [string, string][]): string {
  return values.map(([resource, value]) => `${resource}=${value}`).join(",");
}

/**
 * Why quota admission would refuse creating this object, as the Forbidden
 * message's tail (`exceeded quota: ...` or `failed quota: ...`), or undefined
 * when it fits. As in checkRequest: every quota's constraints first, then usage.
 */
export function quotaRefusal(store: ClusterStore, type: ResourceType, object: KubeObject): string | undefined {
  const namespace = object.metadata.namespace ?? "";
  const quotas = store.view(quotaType, namespace);
  if (quotas.length === 0) return undefined;
  const requested = usageOf(type, object);
  const relevant = quotas.filter((quota) => Object.keys(hardOf(quota)).some((resource) => requested.has(resource)));
  if (type.kind === "Pod") {
    for (const quota of relevant) {
      const missing = missingResources(object, hardOf(quota));
      if (missing) return `failed quota: ${quota.metadata.name ?? ""}: ${missing}`;
    }
  }
  if (relevant.length === 0) return undefined;
  const used = namespaceUsage(store, namespace, requested.keys());
  for (const quota of relevant) {
    const hard = hardOf(quota);
    const exceeded = Object.keys(hard)
      .sort()
      .filter((resource) => {
        const limit = toMilli(hard[resource]);
        const wanted = requested.get(resource);
        return limit !== undefined && wanted !== undefined && wanted > 0 && (used.get(resource) ?? 0) + wanted > limit;
      });
    if (exceeded.length === 0) continue;
    const show = (source: Usage): [string, string][] =>
      exceeded.map((resource) => [resource, formatMilli(source.get(resource) ?? 0, formatOf(hard[resource]))]);
    const limited: [string, string][] = exceeded.map((resource) => [resource, canonical(hard[resource]) ?? String(hard[resource])]);
    return (
      `exceeded quota: ${quota.metadata.name ?? ""}, requested: ${prettyPrint(show(requested))}, ` +
      `used: ${prettyPrint(show(used))}, limited: ${prettyPrint(limited)}`
    );
  }
  return undefined;
}
