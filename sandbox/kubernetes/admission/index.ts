// Admission for creates, in the API server's order: mutating plugins
// (LimitRanger defaults, then ServiceAccount, Priority, tolerations) after
// defaulting, validating plugins (LimitRanger limits, ResourceQuota) after
// validation. The API's write path and the controller's pod creation both
// call these, so a pod is admitted the same way whoever creates it.
import type { KubeObject } from "../objects";
import type { ResourceType } from "../resources";
import { forbidden } from "../status";
import type { ClusterStore } from "../store";
import { defaultContainerResources, limitRangeRefusal } from "./limit-ranger";
import { addPodAdmissionDefaults } from "./pod";
import { quotaRefusal } from "./resource-quota";

export { containerResources, hardOf, namespaceUsage, podUsage } from "./resource-quota";
export { qosClass } from "./pod";

export function mutateOnCreate(store: ClusterStore, type: ResourceType, object: KubeObject): void {
  if (type.kind !== "Pod") return;
  defaultContainerResources(store, object);
  addPodAdmissionDefaults(object);
}

/** Throws the plugin's 403 Forbidden when the object may not be created. */
export function validateOnCreate(store: ClusterStore, type: ResourceType, object: KubeObject): void {
  const name = object.metadata.name ?? object.metadata.generateName ?? "";
  const limits = type.kind === "Pod" ? limitRangeRefusal(store, object) : undefined;
  if (limits) throw forbidden(type, name, limits);
  const quota = quotaRefusal(store, type, object);
  if (quota) throw forbidden(type, name, quota);
}
