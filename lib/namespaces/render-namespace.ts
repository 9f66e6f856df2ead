// The objects that make a Wharf namespace, in the order they are applied.
// Pure and deterministic: the same approved state always renders the same
// objects, which is what makes provisioning idempotent and drift checkable.
import type { ContainerDefaults, Quota } from "@/lib/namespaces/namespace-input";

export interface NamespaceState {
  name: string;
  team: { slug: string; entraGroupIds: string[] };
  costCenter: string;
  environment: string;
  quota: Quota;
  containerDefaults: ContainerDefaults;
  /** Where the cluster's ingress controller runs (AKS application routing: app-routing-system). */
  ingressNamespace: string;
}

export interface RenderedObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string> };
  [field: string]: unknown;
}

export const managedByLabel = { "app.kubernetes.io/managed-by": "wharf" } as const;
export const managedBySelector = "app.kubernetes.io/managed-by=wharf";

export const objectNames = {
  quota: "wharf-quota",
  limits: "wharf-limits",
  roleBinding: "wharf-team-edit",
  denyIngress: "wharf-default-deny-ingress",
  allowIngress: "wharf-allow-same-namespace-and-ingress",
} as const;

/** A cost center may be empty in the catalog; a label value cannot hold some characters, so those become "-". */
function labelValue(value: string): string {
  return value
    .replace(/[^-A-Za-z0-9_.]/g, "-")
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "")
    .slice(0, 63);
}

export function renderNamespace(state: NamespaceState): RenderedObject[] {
  const labels = {
    ...managedByLabel,
    "wharf.io/team": state.team.slug,
    "wharf.io/cost-center": labelValue(state.costCenter),
    "wharf.io/environment": state.environment,
  };
  const owned = { ...managedByLabel, "wharf.io/team": state.team.slug };
  const inNamespace = (name: string) => ({ name, namespace: state.name, labels: owned });
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: state.name, labels } },
    {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: inNamespace(objectNames.quota),
      spec: { hard: quotaHard(state.quota) },
    },
    {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: inNamespace(objectNames.limits),
      spec: {
        limits: [
          {
            type: "Container",
            default: { cpu: state.containerDefaults.limitCpu, memory: state.containerDefaults.limitMemory },
            defaultRequest: { cpu: state.containerDefaults.requestCpu, memory: state.containerDefaults.requestMemory },
          },
        ],
      },
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: inNamespace(objectNames.roleBinding),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      // On AKS with Entra ID, a Group subject is the group's object id.
      subjects: [...state.team.entraGroupIds].sort().map((id) => ({ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: id })),
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: inNamespace(objectNames.denyIngress),
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: inNamespace(objectNames.allowIngress),
      spec: {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [{ podSelector: {} }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": state.ingressNamespace } } }],
          },
        ],
      },
    },
  ];
}

/** The ResourceQuota's `spec.hard` for an approved quota. */
export function quotaHard(quota: Quota): Record<string, string> {
  return {
    "requests.cpu": quota.requestsCpu,
    "limits.cpu": quota.limitsCpu,
    "requests.memory": quota.requestsMemory,
    "limits.memory": quota.limitsMemory,
    pods: quota.pods,
    "requests.storage": quota.storage,
    "services.loadbalancers": quota.loadBalancers,
  };
}
