// ResourceQuota: the admission check the API server runs on every pod create
// (here, on the pods the controller creates) and the quota controller that
// keeps `status.hard` and `status.used` current. Messages follow
// plugin/pkg/admission/resourcequota word for word, because Wharf shows them
// to the team whose rollout is stuck.
import { isPlainObject, type KubeObject } from "../objects";
import type { ControllerContext } from "./context";
import { canonical, formatMilli, formatOf, toMilli } from "./quantities";
import { pods, resourceQuotas, services } from "./types";
import { managers, updateObject } from "./writes";

type Usage = Map<string, number>;

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

function namespaceUsage(ctx: ControllerContext, namespace: string): Usage {
  const total: Usage = new Map();
  for (const pod of ctx.store.list(pods, namespace)) {
    for (const [resource, milli] of podUsage(pod)) total.set(resource, (total.get(resource) ?? 0) + milli);
  }
  const serviceCount = ctx.store.list(services, namespace).length * 1000;
  total.set("services", serviceCount);
  total.set("count/services", serviceCount);
  return total;
}

function hardOf(quota: KubeObject): Record<string, unknown> {
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
    const names = containers.filter((container) => container[rule.field][rule.resource] === undefined).map((container) => container.name).sort();
    if (names.length > 0) missing.push(`${resource} for: ${names.join(",")}`);
  }
  return missing.length > 0 ? `must specify ${missing.join("; ")}` : undefined;
}

function prettyPrint(values: [string, string][]): string {
  return values.map(([resource, value]) => `${resource}=${value}`).join(",");
}

/**
 * Why the API server would refuse this pod, as the Forbidden message's tail
 * (`exceeded quota: ...` or `failed quota: ...`), or undefined when it fits.
 */
export function quotaRefusal(ctx: ControllerContext, pod: KubeObject): string | undefined {
  const namespace = pod.metadata.namespace ?? "";
  const quotas = ctx.store.list(resourceQuotas, namespace);
  if (quotas.length === 0) return undefined;
  const requested = podUsage(pod);
  const used = namespaceUsage(ctx, namespace);
  for (const quota of quotas) {
    const hard = hardOf(quota);
    const missing = missingResources(pod, hard);
    if (missing) return `failed quota: ${quota.metadata.name ?? ""}: ${missing}`;
    const exceeded = Object.keys(hard)
      .sort()
      .filter((resource) => {
        const limit = toMilli(hard[resource]);
        const wanted = requested.get(resource);
        return limit !== undefined && wanted !== undefined && wanted > 0 && (used.get(resource) ?? 0) + wanted > limit;
      });
    if (exceeded.length === 0) continue;
    const show = (source: Usage): [string, string][] => exceeded.map((resource) => [resource, formatMilli(source.get(resource) ?? 0, formatOf(hard[resource]))]);
    const limited: [string, string][] = exceeded.map((resource) => [resource, canonical(hard[resource]) ?? String(hard[resource])]);
    return `exceeded quota: ${quota.metadata.name ?? ""}, requested: ${prettyPrint(show(requested))}, used: ${prettyPrint(show(used))}, limited: ${prettyPrint(limited)}`;
  }
  return undefined;
}

/** The quota controller: every quota in the namespace reports its hard limits and current usage. */
export function syncQuotas(ctx: ControllerContext, namespace: string): void {
  const quotas = ctx.store.list(resourceQuotas, namespace);
  if (quotas.length === 0) return;
  const used = namespaceUsage(ctx, namespace);
  for (const quota of quotas) {
    const hard = hardOf(quota);
    const status = {
      hard: Object.fromEntries(Object.entries(hard).map(([resource, value]) => [resource, canonical(value) ?? String(value)])),
      // Resources the sandbox has no objects for (PVC storage, secrets) are honestly zero.
      used: Object.fromEntries(Object.keys(hard).map((resource) => [resource, formatMilli(used.get(resource) ?? 0, formatOf(hard[resource]))])),
    };
    updateObject(ctx, resourceQuotas, quota, { ...quota, status }, managers.controllerManager, "status");
  }
}
