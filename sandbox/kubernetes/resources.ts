// The resources the sandbox API server serves, with the facts about each that
// a real API server publishes in discovery and enforces on writes. Everything
// else (routing, validation, tables, OpenAPI) reads this one list, so adding a
// resource is one entry here.
import { Deployment, ReplicaSet } from "kubernetes-models/apps/v1";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1";
import { Event, LimitRange, Namespace, Node, Pod, ResourceQuota, Service, ServiceAccount } from "kubernetes-models/v1";

/** How the API server checks `metadata.name` for this resource (k8s.io/apimachinery validation). */
export type NameRule = "dns1123Label" | "dns1123Subdomain" | "dns1035Label" | "pathSegment";

export interface ResourceType {
  /** "" for the core group. */
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** The @kubernetes/client-node model class: its attributeTypeMap is our schema. */
  modelType: string;
  /** kubernetes-models class, whose `validate()` checks the OpenAPI schema. */
  model: new (data: never) => { validate(): void };
  nameRule: NameRule;
  /** Whether `metadata.generation` is set and bumped on spec changes (not every resource does). */
  tracksGeneration: boolean;
  /** Whether status is a subresource: writes to the main resource keep the stored status. */
  statusSubresource: boolean;
}

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
export const resourceVerbs: readonly string[] = verbs;

function resource(entry: Omit<ResourceType, "categories" | "tracksGeneration" | "statusSubresource"> & Partial<ResourceType>): ResourceType {
  return { categories: [], tracksGeneration: false, statusSubresource: false, ...entry };
}

export const resourceTypes: readonly ResourceType[] = [
  resource({
    group: "",
    version: "v1",
    plural: "namespaces",
    singular: "namespace",
    kind: "Namespace",
    namespaced: false,
    shortNames: ["ns"],
    modelType: "V1Namespace",
    model: Namespace,
    nameRule: "dns1123Label",
    statusSubresource: true,
  }),
  // The nodes of the cluster's pools (sandbox/node-pools.ts), written by the sandbox itself (system-objects.ts).
  resource({
    group: "",
    version: "v1",
    plural: "nodes",
    singular: "node",
    kind: "Node",
    namespaced: false,
    shortNames: ["no"],
    modelType: "V1Node",
    model: Node,
    nameRule: "dns1123Subdomain",
    statusSubresource: true,
  }),
  resource({
    group: "",
    version: "v1",
    plural: "resourcequotas",
    singular: "resourcequota",
    kind: "ResourceQuota",
    namespaced: true,
    shortNames: ["quota"],
    modelType: "V1ResourceQuota",
    model: ResourceQuota,
    nameRule: "dns1123Subdomain",
    statusSubresource: true,
  }),
  resource({
    group: "",
    version: "v1",
    plural: "limitranges",
    singular: "limitrange",
    kind: "LimitRange",
    namespaced: true,
    shortNames: ["limits"],
    modelType: "V1LimitRange",
    model: LimitRange,
    nameRule: "dns1123Subdomain",
  }),
  resource({
    group: "",
    version: "v1",
    plural: "serviceaccounts",
    singular: "serviceaccount",
    kind: "ServiceAccount",
    namespaced: true,
    shortNames: ["sa"],
    modelType: "V1ServiceAccount",
    model: ServiceAccount,
    nameRule: "dns1123Subdomain",
  }),
  resource({
    group: "",
    version: "v1",
    plural: "pods",
    singular: "pod",
    kind: "Pod",
    namespaced: true,
    shortNames: ["po"],
    categories: ["all"],
    modelType: "V1Pod",
    model: Pod,
    nameRule: "dns1123Subdomain",
    statusSubresource: true,
  }),
  // Services are DNS-1035 labels (must start with a letter): stricter than other names.
  resource({
    group: "",
    version: "v1",
    plural: "services",
    singular: "service",
    kind: "Service",
    namespaced: true,
    shortNames: ["svc"],
    categories: ["all"],
    modelType: "V1Service",
    model: Service,
    nameRule: "dns1035Label",
    statusSubresource: true,
  }),
  resource({
    group: "",
    version: "v1",
    plural: "events",
    singular: "event",
    kind: "Event",
    namespaced: true,
    shortNames: ["ev"],
    modelType: "CoreV1Event",
    model: Event,
    nameRule: "dns1123Subdomain",
  }),
  resource({
    group: "apps",
    version: "v1",
    plural: "deployments",
    singular: "deployment",
    kind: "Deployment",
    namespaced: true,
    shortNames: ["deploy"],
    categories: ["all"],
    modelType: "V1Deployment",
    model: Deployment,
    nameRule: "dns1123Subdomain",
    tracksGeneration: true,
    statusSubresource: true,
  }),
  resource({
    group: "apps",
    version: "v1",
    plural: "replicasets",
    singular: "replicaset",
    kind: "ReplicaSet",
    namespaced: true,
    shortNames: ["rs"],
    categories: ["all"],
    modelType: "V1ReplicaSet",
    model: ReplicaSet,
    nameRule: "dns1123Subdomain",
    tracksGeneration: true,
    statusSubresource: true,
  }),
  // RBAC names are path segments (e.g. "system:controller:x"), not DNS names.
  resource({
    group: "rbac.authorization.k8s.io",
    version: "v1",
    plural: "rolebindings",
    singular: "rolebinding",
    kind: "RoleBinding",
    namespaced: true,
    shortNames: [],
    modelType: "V1RoleBinding",
    model: RoleBinding,
    nameRule: "pathSegment",
  }),
  resource({
    group: "networking.k8s.io",
    version: "v1",
    plural: "networkpolicies",
    singular: "networkpolicy",
    kind: "NetworkPolicy",
    namespaced: true,
    shortNames: ["netpol"],
    modelType: "V1NetworkPolicy",
    model: NetworkPolicy,
    nameRule: "dns1123Subdomain",
    tracksGeneration: true,
  }),
];

export function apiVersionOf(type: Pick<ResourceType, "group" | "version">): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** `deployments.apps` or `pods`, as error messages name a resource. */
export function groupResource(type: Pick<ResourceType, "group" | "plural">): string {
  return type.group ? `${type.plural}.${type.group}` : type.plural;
}

/** `Deployment.apps` or `Namespace`, as Invalid messages name a kind. */
export function groupKind(type: Pick<ResourceType, "group" | "kind">): string {
  return type.group ? `${type.kind}.${type.group}` : type.kind;
}

/** Stable key of a resource type inside a cluster store. */
export function resourceKey(type: Pick<ResourceType, "group" | "plural">): string {
  return `${type.group}/${type.plural}`;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return resourceTypes.find((type) => type.group === group && type.version === version && type.plural === plural);
}

export function findResourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return resourceTypes.find((type) => apiVersionOf(type) === apiVersion && type.kind === kind);
}

export function findResourceByKey(key: string): ResourceType | undefined {
  return resourceTypes.find((type) => resourceKey(type) === key);
}

/** Group versions served, in discovery order (core first). */
export function groupVersions(): { group: string; version: string }[] {
  const seen = new Map<string, { group: string; version: string }>();
  for (const type of resourceTypes) seen.set(apiVersionOf(type), { group: type.group, version: type.version });
  return [...seen.values()];
}
