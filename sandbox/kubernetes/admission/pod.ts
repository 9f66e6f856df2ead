// What the API server's other admission plugins add to every new pod, on
// whichever path it arrives (a client's POST or the ReplicaSet controller):
// ServiceAccount (`default`), Priority (0, PreemptLowerPriority),
// DefaultTolerationSeconds (not-ready and unreachable for 300 s), and the
// QoS class the registry computes on create. Wharf reads several back.
import { isPlainObject, type JsonObject, type KubeObject } from "../objects";
import { containerResources } from "./resource-quota";

const defaultTolerations = [
  { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
  { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
];

/** QoS class, from the pod's requests and limits as the API server computes it. */
export function qosClass(spec: JsonObject): "Guaranteed" | "Burstable" | "BestEffort" {
  const containers = containerResources([
    ...(Array.isArray(spec.containers) ? spec.containers : []),
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
  ]);
  const any = containers.some((container) => Object.keys(container.requests).length > 0 || Object.keys(container.limits).length > 0);
  if (!any) return "BestEffort";
  const guaranteed = containers.every((container) =>
    ["cpu", "memory"].every(
      (resource) =>
        container.limits[resource] !== undefined &&
        (container.requests[resource] === undefined || String(container.requests[resource]) === String(container.limits[resource])),
    ),
  );
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** Drops the `requests: {}` and `limits: {}` left by defaulting, as Go's omitempty does. */
export function dropEmptyResources(spec: JsonObject): void {
  for (const field of ["containers", "initContainers"]) {
    for (const container of Array.isArray(spec[field]) ? spec[field].filter(isPlainObject) : []) {
      const resources = isPlainObject(container.resources) ? container.resources : {};
      for (const key of ["requests", "limits"]) if (isPlainObject(resources[key]) && Object.keys(resources[key]).length === 0) delete resources[key];
    }
  }
}

export function addPodAdmissionDefaults(pod: KubeObject): void {
  const spec: JsonObject = isPlainObject(pod.spec) ? pod.spec : (pod.spec = {});
  dropEmptyResources(spec);
  spec.serviceAccountName ??= "default";
  spec.serviceAccount ??= spec.serviceAccountName;
  spec.enableServiceLinks ??= true;
  spec.priority ??= 0;
  spec.preemptionPolicy ??= "PreemptLowerPriority";
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations.filter(isPlainObject) : [];
  spec.tolerations = [...tolerations, ...defaultTolerations.filter((toleration) => !tolerations.some((existing) => existing.key === toleration.key))];
  const status: JsonObject = isPlainObject(pod.status) ? pod.status : (pod.status = {});
  status.phase ??= "Pending";
  status.qosClass = qosClass(spec);
}
