// What blocks a deployment, decided before anything is applied: each
// violation says what is wrong and what to change. Pure, so the confirm
// screen, the API and the worker (which checks again before applying a
// deployment that waited for approval or in the queue) give the same answer. Who may deploy at all is `can()`'s question; this
// asks whether this manifest may go to this namespace now.
import { registryAllowed } from "@/lib/catalog/service-input";
import { quantityMilli } from "@/lib/kubernetes/quantity";
import { quotaResources, rolloutDemand, type ContainerDefaults, type DeploymentShape, type QuotaResource, type ResourceList } from "./quota-demand";
import type { RenderedContainer, RenderedManifest } from "./render";

export type ViolationCode =
  | "service_retired"
  | "service_name_not_dns_label"
  | "namespace_of_another_team"
  | "not_a_team_member"
  | "rollout_in_progress"
  | "image_registry_not_allowed"
  | "readiness_probe_missing"
  | "liveness_probe_missing"
  | "security_context_weakened"
  | "resources_missing"
  | "above_limit_range_max"
  | "below_limit_range_min"
  | "quota_exceeded"
  /** Only when checked again before a waiting deployment's first apply: the namespace is being decommissioned, or gone. */
  | "namespace_not_ready";

export interface PolicyViolation {
  code: ViolationCode;
  message: string;
  /** Where: a manifest path (`spec.template.spec.containers[0].image`) or a quota resource (`quota.requests.cpu`). */
  field?: string;
}

export interface PolicyNamespace {
  teamId: string;
  /** Not a rule here: the production approval gate reads it. */
  environment: string;
  /** The namespace's Container LimitRange: per-container bounds and the defaults it fills in. */
  limitRange: { max?: ResourceList; min?: ResourceList; defaults?: ContainerDefaults };
  /** The ResourceQuota's status: `hard` and `used`, by quota resource name. */
  quota: { hard: ResourceList; used: ResourceList };
}

export interface DeploymentPolicyInput {
  rendered: RenderedManifest;
  allowedRegistries: readonly string[];
  namespace: PolicyNamespace;
  actorTeamIds: readonly string[];
  service: { retired: boolean; teamId: string };
  /** What runs now (the manifest Wharf applied last, or the live Deployment); its pods are already in `used`. */
  current?: DeploymentShape | null;
  /** A rollout of this service in this namespace that has not ended; leave unset when the request asked to queue. */
  existingRolloutInFlight?: { revision: number } | null;
}

const resourceWords: Record<string, string> = { cpu: "CPU", memory: "memory" };

/** A quantity for a message, in the unit people write: cores or millicores, Gi/Mi/Ki, or a count. */
/** An exact amount in milli-units, as a person writes it: "1500m", "2", "768Mi". */
export function formatAmount(resource: string, milli: bigint): string {
  if (/cpu/.test(resource)) return milli % 1000n === 0n ? String(milli / 1000n) : `${milli}m`;
  const whole = (milli + 999n) / 1000n;
  if (/memory|storage/.test(resource)) {
    for (const [unit, size] of [
      ["Gi", 2n ** 30n],
      ["Mi", 2n ** 20n],
      ["Ki", 2n ** 10n],
    ] as const) {
      if (whole !== 0n && whole % size === 0n) return `${whole / size}${unit}`;
    }
  }
  return String(whole);
}

/** Quantities compare exactly, as integers of milli-units: 3 × 100m is 300m, never a hair above it. */
function exceeds(value: bigint, bound: bigint): boolean {
  return value > bound;
}

function amountOf(value: string | number | undefined): bigint | undefined {
  if (value === undefined) return undefined;
  return quantityMilli(value) ?? undefined;
}

function containers(manifest: RenderedManifest): RenderedContainer[] {
  return manifest.deployment.spec.template.spec.containers;
}

const at = (index: number, path: string): string => `spec.template.spec.containers[${index}].${path}`;

function teamViolations(input: DeploymentPolicyInput, namespaceName: string, serviceName: string): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  if (input.service.retired) {
    violations.push({ code: "service_retired", message: `${serviceName} is retired; restore it in the catalog before deploying it again.` });
  }
  // A Service's name is a DNS-1035 label; a catalog slug may start with a digit.
  if (!/^[a-z]/.test(serviceName)) {
    violations.push({
      code: "service_name_not_dns_label",
      message: `Kubernetes Service names must start with a letter, and ${serviceName} does not; register the service under a slug that starts with a letter.`,
    });
  }
  if (input.namespace.teamId !== input.service.teamId) {
    violations.push({
      code: "namespace_of_another_team",
      field: "namespaceId",
      message:
        `${namespaceName} belongs to another team than the one that owns ${serviceName}; choose ` +
        "one of the owning team's namespaces, or move the service to this team in the catalog.",
    });
  }
  if (!input.actorTeamIds.includes(input.namespace.teamId)) {
    violations.push({
      code: "not_a_team_member",
      field: "namespaceId",
      message: `You are not a member of the team that owns ${namespaceName}; ask one of its members to deploy, or ask to join the team.`,
    });
  }
  if (input.existingRolloutInFlight) {
    violations.push({
      code: "rollout_in_progress",
      message:
        `Revision ${input.existingRolloutInFlight.revision} of ${serviceName} is still rolling out in ` +
        `${namespaceName}; wait for it to end or cancel it, or choose to queue this deployment after it.`,
    });
  }
  return violations;
}

function imageViolations(input: DeploymentPolicyInput): PolicyViolation[] {
  const allowed = input.allowedRegistries;
  const list = allowed.length === 0 ? "" : allowed.length === 1 ? allowed[0] : `${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}`;
  return containers(input.rendered).flatMap((container, index) => {
    if (registryAllowed(container.image, allowed)) return [];
    const registry = container.image.split("/")[0] ?? container.image;
    const change =
      allowed.length === 0
        ? "no registry is allowed yet; a platform admin sets WHARF_ALLOWED_REGISTRIES"
        : `push the image to ${list} and set that repository in the service's deploy spec`;
    return [
      {
        code: "image_registry_not_allowed" as const,
        field: at(index, "image"),
        message: `The image ${container.image} comes from ${registry}, which is not an allowed registry; ${change}.`,
      },
    ];
  });
}

function probeViolations(manifest: RenderedManifest): PolicyViolation[] {
  const hasHandler = (probe: object | undefined): boolean =>
    probe !== undefined && ["httpGet", "tcpSocket", "exec", "grpc"].some((handler) => handler in probe);
  return containers(manifest).flatMap((container, index) => {
    const violations: PolicyViolation[] = [];
    if (!hasHandler(container.readinessProbe)) {
      violations.push({
        code: "readiness_probe_missing",
        field: at(index, "readinessProbe"),
        message:
          `Container ${container.name} has no readiness probe, so it would get traffic before ` +
          "it is ready; set a readiness path (such as /ready) in the service's deploy spec.",
      });
    }
    if (!hasHandler(container.livenessProbe)) {
      violations.push({
        code: "liveness_probe_missing",
        field: at(index, "livenessProbe"),
        message:
          `Container ${container.name} has no liveness probe, so a hung process would never ` +
          "be restarted; set a liveness path (such as /healthz) in the service's deploy spec.",
      });
    }
    return violations;
  });
}

/** A stored or hand-edited manifest must keep what the renderer sets; re-rendering from the deploy spec restores it. */
function securityViolations(manifest: RenderedManifest): PolicyViolation[] {
  const pod = manifest.deployment.spec.template.spec.securityContext;
  return containers(manifest).flatMap((container, index) => {
    const context = container.securityContext;
    const weakened: string[] = [];
    if (context?.runAsNonRoot !== true && pod?.runAsNonRoot !== true) weakened.push("runAsNonRoot must be true");
    if (context?.allowPrivilegeEscalation !== false) weakened.push("allowPrivilegeEscalation must be false");
    if (context?.privileged === true) weakened.push("privileged must not be true");
    if (!context?.capabilities?.drop?.includes("ALL")) weakened.push("capabilities must drop ALL");
    if (weakened.length === 0) return [];
    return [
      {
        code: "security_context_weakened" as const,
        field: at(index, "securityContext"),
        message: `Container ${container.name}: ${weakened.join(", ")}; deploy a manifest rendered from the deploy spec, which sets them.`,
      },
    ];
  });
}

function limitRangeViolations(input: DeploymentPolicyInput): PolicyViolation[] {
  const { max = {}, min = {}, defaults = {} } = input.namespace.limitRange;
  const namespaceName = input.rendered.deployment.metadata.namespace;
  const violations: PolicyViolation[] = [];
  containers(input.rendered).forEach((container, index) => {
    const own = container.resources as { requests?: ResourceList; limits?: ResourceList } | undefined;
    const limitOf = (resource: string): string | number | undefined => own?.limits?.[resource] ?? defaults.limits?.[resource];
    const requestOf = (resource: string): string | number | undefined => own?.requests?.[resource] ?? defaults.requests?.[resource] ?? own?.limits?.[resource];
    for (const resource of ["cpu", "memory"]) {
      if (requestOf(resource) === undefined || limitOf(resource) === undefined) {
        violations.push({
          code: "resources_missing",
          field: at(index, `resources`),
          message:
            `Container ${container.name} has no ${resourceWords[resource]} request or ` +
            "limit, and the namespace sets no default; set both in the service's deploy spec.",
        });
      }
    }
    for (const [resource, bound] of Object.entries(max)) {
      const ceiling = amountOf(bound);
      const limit = amountOf(limitOf(resource));
      const request = amountOf(requestOf(resource));
      const word = resourceWords[resource] ?? resource;
      if (ceiling === undefined) continue;
      // A limit above the ceiling is what the LimitRanger refuses; a request can only exceed it with no limit set.
      const [field, value] = limit !== undefined ? (["limits", limit] as const) : (["requests", request] as const);
      if (value !== undefined && exceeds(value, ceiling)) {
        violations.push({
          code: "above_limit_range_max",
          field: at(index, `resources.${field}.${resource}`),
          message:
            `The ${word} ${field === "limits" ? "limit" : "request"} of ${container.name} (${formatAmount(resource, value)}) ` +
            `is above ${namespaceName}'s maximum of ${formatAmount(resource, ceiling)} per ` +
            "container; lower it in the service's deploy spec, or ask a platform admin to raise the maximum.",
        });
      }
    }
    for (const [resource, bound] of Object.entries(min)) {
      const floor = amountOf(bound);
      const request = amountOf(requestOf(resource));
      if (floor === undefined || request === undefined || !exceeds(floor, request)) continue;
      violations.push({
        code: "below_limit_range_min",
        field: at(index, `resources.requests.${resource}`),
        message:
          `The ${resourceWords[resource] ?? resource} request of ${container.name} (${formatAmount(resource, request)}) is below ` +
          `${namespaceName}'s minimum of ${formatAmount(resource, floor)} per container; raise it in the service's deploy spec.`,
      });
    }
  });
  return violations;
}

const quotaWords: Record<QuotaResource, { label: string; change: string }> = {
  "requests.cpu": { label: "CPU requests", change: "lower the replicas or the CPU request" },
  "requests.memory": { label: "memory requests", change: "lower the replicas or the memory request" },
  "limits.cpu": { label: "CPU limits", change: "lower the replicas or the CPU limit" },
  "limits.memory": { label: "memory limits", change: "lower the replicas or the memory limit" },
  pods: { label: "pods", change: "lower the replicas" },
};

function quotaViolations(input: DeploymentPolicyInput): PolicyViolation[] {
  const { hard, used } = input.namespace.quota;
  const defaults = input.namespace.limitRange.defaults;
  const demand = rolloutDemand(input.rendered.deployment, input.current, defaults);
  const namespaceName = input.rendered.deployment.metadata.namespace;
  const violations: PolicyViolation[] = [];
  const extra = demand.peakPods - demand.replicas;
  const pods =
    `${demand.peakPods} pod${demand.peakPods === 1 ? "" : "s"}: ${demand.replicas} ` +
    `replica${demand.replicas === 1 ? "" : "s"}${extra > 0 ? ` and ${extra} more while the old pods are replaced` : ""}`;
  for (const resource of Object.keys(quotaResources) as QuotaResource[]) {
    for (const name of quotaResources[resource]) {
      const limit = amountOf(hard[name]);
      if (limit === undefined) continue;
      const inUse = amountOf(used[name]) ?? 0n;
      const needed = demand.peak[resource] - demand.current[resource];
      if (needed <= 0n || !exceeds(inUse + needed, limit)) continue;
      const fmt = (value: bigint): string => formatAmount(name, value);
      const room = limit - inUse + demand.current[resource];
      const available = room > 0n ? room : 0n;
      const held = demand.current[resource] > 0 ? `, ${fmt(demand.current[resource])} of it by the pods this rollout replaces` : "";
      const { label, change } = quotaWords[resource];
      violations.push({
        code: "quota_exceeded",
        field: `quota.${name}`,
        message:
          `At its peak this rollout needs ${fmt(demand.peak[resource])} of ${label} (${pods}), but ${namespaceName} has ` +
          `${fmt(available)} for it (quota ${fmt(limit)}, ${fmt(inUse)} used${held}); ${change}, or ask for a larger quota.`,
      });
    }
  }
  return violations;
}

/** Every rule the deployment breaks, each with what to change; empty when it may be applied. */
export function checkDeploymentPolicy(input: DeploymentPolicyInput): PolicyViolation[] {
  const namespaceName = input.rendered.deployment.metadata.namespace;
  const serviceName = input.rendered.deployment.metadata.name;
  return [
    ...teamViolations(input, namespaceName, serviceName),
    ...imageViolations(input),
    ...probeViolations(input.rendered),
    ...securityViolations(input.rendered),
    ...limitRangeViolations(input),
    ...quotaViolations(input),
  ];
}

/** One message for every violation, each saying what to change: as the API refuses a request, and as the worker ends a deployment it will not apply. */
export function violationsMessage(violations: readonly PolicyViolation[]): string {
  const messages = violations.map((violation) => violation.message);
  return messages.length === 1
    ? messages[0]!
    : `This deployment breaks ${messages.length} rules: ${messages.map((message, index) => `(${index + 1}) ${message}`).join(" ")}`;
}
