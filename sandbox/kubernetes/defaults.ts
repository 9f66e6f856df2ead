// Defaulting, as the API server fills fields a client left out. Wharf reads
// several of them back (a Deployment's replicas and strategy, a Service's
// clusterIP and targetPort), and apply must see the same defaults on every
// write to stay idempotent, so these run on create, update, patch and apply.
import { isPlainObject, type JsonObject, type KubeObject } from "./objects";
import { canonical } from "./quantities";

function childObject(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (isPlainObject(value)) return value;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

function setDefault(parent: JsonObject, key: string, value: unknown): void {
  if (parent[key] === undefined) parent[key] = value;
}

function imagePullPolicy(image: unknown): string {
  if (typeof image !== "string") return "IfNotPresent";
  const lastSegment = image.split("/").pop() ?? "";
  const tag = image.includes("@") ? undefined : lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
  return image.includes("@") ? "IfNotPresent" : tag === undefined || tag === "latest" ? "Always" : "IfNotPresent";
}

/** The API server stores every resource.Quantity in its canonical form: "0.5" reads back as "500m", "1024Mi" as "1Gi". */
function canonicalQuantities(list: unknown): void {
  if (!isPlainObject(list)) return;
  for (const [resource, value] of Object.entries(list)) {
    const stored = canonical(value);
    if (stored !== undefined) list[resource] = stored;
  }
}

function defaultContainers(list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const container of list) {
    if (!isPlainObject(container)) continue;
    setDefault(container, "terminationMessagePath", "/dev/termination-log");
    setDefault(container, "terminationMessagePolicy", "File");
    setDefault(container, "imagePullPolicy", imagePullPolicy(container.image));
    setDefault(container, "resources", {});
    if (isPlainObject(container.resources)) for (const kind of ["requests", "limits"]) canonicalQuantities(container.resources[kind]);
    if (Array.isArray(container.ports)) for (const port of container.ports) if (isPlainObject(port)) setDefault(port, "protocol", "TCP");
  }
}

function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "schedulerName", "default-scheduler");
  defaultContainers(spec.containers);
  defaultContainers(spec.initContainers);
}

/** SetDefaults_Pod: a resource with a limit and no request requests its limit (pods only, not templates). */
function defaultRequestsFromLimits(spec: JsonObject): void {
  for (const field of ["containers", "initContainers"]) {
    for (const container of Array.isArray(spec[field]) ? spec[field].filter(isPlainObject) : []) {
      const resources = isPlainObject(container.resources) ? container.resources : undefined;
      if (!resources || !isPlainObject(resources.limits)) continue;
      const requests = childObject(resources, "requests");
      for (const [resource, limit] of Object.entries(resources.limits)) setDefault(requests, resource, limit);
    }
  }
}

/** SetDefaults_LimitRangeItem: a Container item's default limit falls back to max, its default request to the default limit, then to min. */
function defaultLimitRange(spec: JsonObject): void {
  for (const item of Array.isArray(spec.limits) ? spec.limits.filter(isPlainObject) : []) {
    for (const field of ["max", "min", "default", "defaultRequest", "maxLimitRequestRatio"]) canonicalQuantities(item[field]);
    if (item.type !== "Container") continue;
    const defaults = childObject(item, "default");
    const defaultRequest = childObject(item, "defaultRequest");
    for (const [resource, value] of Object.entries(isPlainObject(item.max) ? item.max : {})) setDefault(defaults, resource, value);
    for (const [resource, value] of Object.entries(defaults)) setDefault(defaultRequest, resource, value);
    for (const [resource, value] of Object.entries(isPlainObject(item.min) ? item.min : {})) setDefault(defaultRequest, resource, value);
    if (Object.keys(defaults).length === 0) delete item.default;
    if (Object.keys(defaultRequest).length === 0) delete item.defaultRequest;
  }
}

function defaultWorkload(spec: JsonObject, kind: string): void {
  setDefault(spec, "replicas", 1);
  if (kind === "Deployment") {
    setDefault(spec, "revisionHistoryLimit", 10);
    setDefault(spec, "progressDeadlineSeconds", 600);
    const strategy = childObject(spec, "strategy");
    setDefault(strategy, "type", "RollingUpdate");
    if (strategy.type === "RollingUpdate") {
      const rollingUpdate = childObject(strategy, "rollingUpdate");
      setDefault(rollingUpdate, "maxUnavailable", "25%");
      setDefault(rollingUpdate, "maxSurge", "25%");
    }
  }
  const template = isPlainObject(spec.template) ? spec.template : undefined;
  if (template) defaultPodSpec(childObject(template, "spec"));
}

let nextClusterIp = 0;

/** A stable-looking ClusterIP in AKS's default service CIDR (10.0.0.0/16). */
function allocateClusterIp(name: string, namespace: string): string {
  let hash = nextClusterIp++;
  for (const char of `${namespace}/${name}`) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return `10.0.${((hash >>> 8) % 254) + 1}.${(hash % 253) + 2}`;
}

function defaultService(service: KubeObject): void {
  const spec = childObject(service, "spec");
  setDefault(spec, "type", "ClusterIP");
  setDefault(spec, "sessionAffinity", "None");
  if (spec.type !== "ExternalName") {
    setDefault(spec, "clusterIP", allocateClusterIp(service.metadata.name ?? "", service.metadata.namespace ?? ""));
    setDefault(spec, "clusterIPs", [spec.clusterIP]);
    setDefault(spec, "ipFamilies", ["IPv4"]);
    setDefault(spec, "ipFamilyPolicy", "SingleStack");
    setDefault(spec, "internalTrafficPolicy", "Cluster");
  }
  if (Array.isArray(spec.ports)) {
    for (const port of spec.ports) {
      if (!isPlainObject(port)) continue;
      setDefault(port, "protocol", "TCP");
      setDefault(port, "targetPort", port.port);
    }
  }
  setDefault(service, "status", { loadBalancer: {} });
}

/** Fills defaults in place; `old` carries server-assigned values (the ClusterIP) across updates. */
export function applyDefaults(kind: string, target: KubeObject, old?: KubeObject): void {
  switch (kind) {
    case "Namespace": {
      const name = target.metadata.name ?? "";
      target.metadata.labels = { ...target.metadata.labels, "kubernetes.io/metadata.name": name };
      setDefault(childObject(target, "spec"), "finalizers", ["kubernetes"]);
      setDefault(childObject(target, "status"), "phase", "Active");
      return;
    }
    case "Deployment":
    case "ReplicaSet":
      defaultWorkload(childObject(target, "spec"), kind);
      return;
    case "Pod":
      defaultPodSpec(childObject(target, "spec"));
      defaultRequestsFromLimits(childObject(target, "spec"));
      setDefault(childObject(target, "status"), "phase", "Pending");
      return;
    case "Service": {
      const oldSpec = old && isPlainObject(old.spec) ? old.spec : undefined;
      const spec = childObject(target, "spec");
      if (oldSpec) for (const key of ["clusterIP", "clusterIPs"]) setDefault(spec, key, oldSpec[key]);
      defaultService(target);
      return;
    }
    case "LimitRange":
      defaultLimitRange(childObject(target, "spec"));
      return;
    case "ResourceQuota":
      if (isPlainObject(target.spec)) canonicalQuantities(target.spec.hard);
      return;
    case "NetworkPolicy": {
      const spec = childObject(target, "spec");
      setDefault(spec, "policyTypes", Array.isArray(spec.egress) ? ["Ingress", "Egress"] : ["Ingress"]);
      return;
    }
    case "RoleBinding": {
      const subjects = Array.isArray(target.subjects) ? target.subjects : [];
      for (const subject of subjects) {
        if (isPlainObject(subject)) setDefault(subject, "apiGroup", subject.kind === "ServiceAccount" ? "" : "rbac.authorization.k8s.io");
      }
      return;
    }
  }
}
