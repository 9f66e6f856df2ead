// The rules a namespace request must meet. Pure: the request form runs this
// while the user types, and the server runs it again on submit and approval.
import { quantityMilli } from "@/lib/kubernetes/quantity";
import type { Environment } from "@/lib/clusters/cluster-view";
import { defaultLabels, quotaFields, quotaLabels, type ContainerDefaults, type Quota } from "@/lib/namespaces/namespace-input";

export interface EnvironmentPolicy {
  environment: Environment;
  ceilings: Quota;
  maxNamespacesPerTeam: number;
  allowSelfApproval: boolean;
  /** Deployments to the environment's namespaces wait for a second person: another member of the team or an admin, never the requester. */
  requireDeploymentApproval: boolean;
}

export const defaultPolicies: Record<Environment, EnvironmentPolicy> = {
  dev: {
    environment: "dev",
    ceilings: { requestsCpu: "8", limitsCpu: "16", requestsMemory: "32Gi", limitsMemory: "64Gi", pods: "200", storage: "500Gi", loadBalancers: "1" },
    maxNamespacesPerTeam: 10,
    allowSelfApproval: false,
    requireDeploymentApproval: false,
  },
  test: {
    environment: "test",
    ceilings: { requestsCpu: "8", limitsCpu: "16", requestsMemory: "32Gi", limitsMemory: "64Gi", pods: "200", storage: "500Gi", loadBalancers: "1" },
    maxNamespacesPerTeam: 10,
    allowSelfApproval: false,
    requireDeploymentApproval: false,
  },
  prod: {
    environment: "prod",
    ceilings: { requestsCpu: "32", limitsCpu: "64", requestsMemory: "128Gi", limitsMemory: "256Gi", pods: "500", storage: "2Ti", loadBalancers: "2" },
    maxNamespacesPerTeam: 5,
    allowSelfApproval: false,
    requireDeploymentApproval: true,
  },
};

export interface PolicyViolation {
  /** The form field, e.g. "name" or "quota.requestsCpu". */
  field: string;
  message: string;
}

export interface PolicyContext {
  kind: "create" | "change";
  team: { slug: string; name: string };
  /** Other teams' prefixes, to say whose prefix a name has taken. */
  otherTeams: { slug: string; name: string }[];
  cluster: { name: string; environment: Environment | null };
  policy: EnvironmentPolicy | null;
  /** Names in use on the cluster: active namespaces and pending requests. For a change, without the namespace itself. */
  takenNames: ReadonlySet<string>;
  /** The team's namespaces in this environment, with its pending create requests. */
  teamNamespaceCount: number;
}

export interface PolicySubject {
  name: string;
  quota: Quota;
  containerDefaults: ContainerDefaults;
}

const reserved = [/^default$/, /^kube-/, /^wharf-/];

/** The prefix every namespace of a team starts with. */
export function namespacePrefix(teamSlug: string): string {
  return `${teamSlug}-`;
}

export function checkName(name: string, context: PolicyContext): string | null {
  const prefix = namespacePrefix(context.team.slug);
  if (name.length === 0) return `Give the namespace a name starting with ${prefix}, such as ${prefix}orders.`;
  if (name.length > 63) return `The name has ${name.length} characters; a namespace name can have at most 63.`;
  if (/[A-Z]/.test(name)) return `Namespace names are lowercase: use ${name.toLowerCase()}.`;
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name))
    return "A namespace name may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit (a DNS-1123 label).";
  if (reserved.some((pattern) => pattern.test(name)))
    return `${name} is reserved for the cluster (default, kube-* and wharf-* are not available); use ${prefix}<something>.`;
  if (!name.startsWith(prefix)) {
    const owner = context.otherTeams.find((team) => name.startsWith(namespacePrefix(team.slug)));
    if (owner)
      return `${name} starts with ${namespacePrefix(owner.slug)}, the prefix of ${owner.name}; namespaces of ${context.team.name} start with ${prefix}.`;
    return `Namespaces of ${context.team.name} start with ${prefix}, such as ${prefix}${name.replace(/^-+/, "") || "orders"}.`;
  }
  if (name === prefix.slice(0, -1) || name.length === prefix.length) return `Add a name after the prefix, such as ${prefix}orders.`;
  if (context.takenNames.has(name)) return `${name} already exists on ${context.cluster.name} or is waiting for approval; choose another name.`;
  return null;
}

/** Exact, in milli-units: ceilings and requests compare as integers, never as floats. */
function amount(text: string): bigint | null {
  return quantityMilli(text);
}

function checkQuota(subject: PolicySubject, policy: EnvironmentPolicy | null, environment: Environment | null): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const field of quotaFields) {
    const value = amount(subject.quota[field]);
    if (value === null || !policy) continue;
    const ceiling = amount(policy.ceilings[field]);
    if (ceiling !== null && value > ceiling) {
      violations.push({
        field: `quota.${field}`,
        message:
          `${quotaLabels[field]} ${subject.quota[field]} is above the ${environment} ceiling ` +
          `of ${policy.ceilings[field]}; lower it, or ask a platform admin to raise the ceiling.`,
      });
    }
  }
  const pairs = [
    ["requestsCpu", "limitsCpu", "CPU"],
    ["requestsMemory", "limitsMemory", "memory"],
  ] as const;
  for (const [request, limit, what] of pairs) {
    const requested = amount(subject.quota[request]);
    const limited = amount(subject.quota[limit]);
    if (requested !== null && limited !== null && limited < requested) {
      violations.push({
        field: `quota.${limit}`,
        message:
          `The ${what} limits (${subject.quota[limit]}) are below the ${what} requests ` +
          `(${subject.quota[request]}); raise the limits or lower the requests.`,
      });
    }
  }
  const defaults = [
    ["requestCpu", "limitCpu", "limitsCpu", "CPU"],
    ["requestMemory", "limitMemory", "limitsMemory", "memory"],
  ] as const;
  for (const [request, limit, quotaLimit, what] of defaults) {
    const requested = amount(subject.containerDefaults[request]);
    const limited = amount(subject.containerDefaults[limit]);
    const namespaceLimit = amount(subject.quota[quotaLimit]);
    if (requested !== null && limited !== null && limited < requested) {
      violations.push({
        field: `containerDefaults.${limit}`,
        message:
          `${defaultLabels[limit]} (${subject.containerDefaults[limit]}) is below ${defaultLabels[request].toLowerCase()} ` +
          `(${subject.containerDefaults[request]}); raise the limit or lower the request.`,
      });
    } else if (limited !== null && namespaceLimit !== null && limited > namespaceLimit) {
      violations.push({
        field: `containerDefaults.${limit}`,
        message:
          `${defaultLabels[limit]} (${subject.containerDefaults[limit]}) is above the ` +
          `namespace's ${what} limits (${subject.quota[quotaLimit]}); no container could start.`,
      });
    }
  }
  return violations;
}

/** Every rule the request breaks, each saying what to change. Empty when it may go to an admin. */
export function checkNamespacePolicy(subject: PolicySubject, context: PolicyContext): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  if (!context.cluster.environment) {
    violations.push({
      field: "clusterId",
      message: `${context.cluster.name} has no environment yet; a platform admin sets it under Admin → Clusters before namespaces can be requested there.`,
    });
  }
  if (context.kind === "create") {
    const nameProblem = checkName(subject.name, context);
    if (nameProblem) violations.push({ field: "name", message: nameProblem });
    if (context.policy && context.teamNamespaceCount >= context.policy.maxNamespacesPerTeam) {
      violations.push({
        field: "clusterId",
        message:
          `${context.team.name} already has ${context.teamNamespaceCount} namespaces (or requests) in ` +
          `${context.policy.environment}, the most allowed; decommission one first or ask a platform admin.`,
      });
    }
  }
  violations.push(...checkQuota(subject, context.policy, context.cluster.environment));
  return violations;
}
