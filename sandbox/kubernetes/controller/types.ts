// The resource types the controller reads and writes, looked up once from the
// API server's own list so a typo fails at start, not on the first rollout.
import { findResource, type ResourceType } from "../resources";

function required(group: string, plural: string): ResourceType {
  const type = findResource(group, "v1", plural);
  if (!type) throw new Error(`the sandbox API serves no ${plural}; the controller needs it`);
  return type;
}

export const namespaces = required("", "namespaces");
export const deployments = required("apps", "deployments");
export const replicaSets = required("apps", "replicasets");
export const pods = required("", "pods");
export const events = required("", "events");
export const resourceQuotas = required("", "resourcequotas");
export const limitRanges = required("", "limitranges");
export const services = required("", "services");
export const nodes = required("", "nodes");
