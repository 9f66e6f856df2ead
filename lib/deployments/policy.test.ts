import { describe, expect, it } from "vitest";
import { paymentsApi } from "./__fixtures__/services";
import { checkDeploymentPolicy, formatAmount, type DeploymentPolicyInput, type PolicyViolation } from "./policy";
import { rolloutDemand, surgePods } from "./quota-demand";
import { renderDeployment, type RenderDeploymentInput, type RenderedManifest } from "./render";

const payments = "b1f0c7a2-0000-4000-8000-000000000001";
const fulfilment = "b1f0c7a2-0000-4000-8000-000000000002";

function render(overrides: Partial<RenderDeploymentInput> = {}, spec: Partial<RenderDeploymentInput["deploySpec"]> = {}): RenderedManifest {
  return renderDeployment({ ...paymentsApi, ...overrides, deploySpec: { ...paymentsApi.deploySpec, ...spec } });
}

/** payments-api 1.4.2 → 1.4.3 in payments-prod, 3 replicas of 250m/1 CPU and 256Mi/512Mi, with room to spare. */
function scenario(overrides: Partial<DeploymentPolicyInput> = {}): DeploymentPolicyInput {
  return {
    rendered: render({ image: { tag: "1.4.3" } }),
    allowedRegistries: ["contoso.azurecr.io", "mcr.microsoft.com"],
    namespace: {
      teamId: payments,
      environment: "prod",
      limitRange: {
        max: { cpu: "2", memory: "2Gi" },
        min: { cpu: "50m", memory: "64Mi" },
        defaults: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
      },
      quota: {
        hard: { "requests.cpu": "4", "limits.cpu": "16", "requests.memory": "8Gi", "limits.memory": "16Gi", pods: "20", "requests.storage": "100Gi" },
        used: { "requests.cpu": "750m", "limits.cpu": "3", "requests.memory": "768Mi", "limits.memory": "1536Mi", pods: "3", "requests.storage": "0" },
      },
    },
    actorTeamIds: [payments],
    service: { retired: false, teamId: payments },
    current: render().deployment,
    ...overrides,
  };
}

function codes(violations: PolicyViolation[]): string[] {
  return violations.map((violation) => violation.code);
}

function withQuota(hard: Record<string, string>, used: Record<string, string>, rest: Partial<DeploymentPolicyInput> = {}): DeploymentPolicyInput {
  const base = scenario(rest);
  return { ...base, namespace: { ...base.namespace, quota: { hard, used } } };
}

describe("checkDeploymentPolicy", () => {
  it("passes a new tag of a healthy service to its own team's namespace", () => {
    expect(checkDeploymentPolicy(scenario())).toEqual([]);
  });

  it("refuses a retired service", () => {
    expect(checkDeploymentPolicy(scenario({ service: { retired: true, teamId: payments } }))).toEqual([
      { code: "service_retired", message: "payments-api is retired; restore it in the catalog before deploying it again." },
    ]);
  });

  it("refuses a namespace of another team, and an actor outside the namespace's team", () => {
    expect(checkDeploymentPolicy(scenario({ namespace: { ...scenario().namespace, teamId: fulfilment }, actorTeamIds: [payments] }))).toEqual([
      {
        code: "namespace_of_another_team",
        field: "namespaceId",
        message:
          "payments-prod belongs to another team than the one that owns payments-api; choose one of the owning team's namespaces, or move the service to this team in the catalog.",
      },
      {
        code: "not_a_team_member",
        field: "namespaceId",
        message: "You are not a member of the team that owns payments-prod; ask one of its members to deploy, or ask to join the team.",
      },
    ]);
    expect(codes(checkDeploymentPolicy(scenario({ actorTeamIds: [fulfilment] })))).toEqual(["not_a_team_member"]);
  });

  it("refuses while another rollout of the service in the namespace has not ended", () => {
    expect(checkDeploymentPolicy(scenario({ existingRolloutInFlight: { revision: 7 } }))).toEqual([
      {
        code: "rollout_in_progress",
        message:
          "Revision 7 of payments-api is still rolling out in payments-prod; wait for it to end or cancel it, or choose to queue this deployment after it.",
      },
    ]);
  });

  it("refuses a Service name that starts with a digit", () => {
    const rendered = render({ service: { slug: "3d-renderer" } });
    expect(codes(checkDeploymentPolicy(scenario({ rendered, current: null })))).toEqual(["service_name_not_dns_label"]);
  });

  it("refuses an image outside the allowed registries, naming them", () => {
    const rendered = render({}, { imageRepository: "docker.io/library/nginx" });
    expect(checkDeploymentPolicy(scenario({ rendered }))).toEqual([
      {
        code: "image_registry_not_allowed",
        field: "spec.template.spec.containers[0].image",
        message:
          "The image docker.io/library/nginx:1.4.2 comes from docker.io, which is not an allowed registry; push the image to contoso.azurecr.io or mcr.microsoft.com and set that repository in the service's deploy spec.",
      },
    ]);
    expect(checkDeploymentPolicy(scenario({ rendered, allowedRegistries: [] }))[0]?.message).toBe(
      "The image docker.io/library/nginx:1.4.2 comes from docker.io, which is not an allowed registry; no registry is allowed yet; a platform admin sets WHARF_ALLOWED_REGISTRIES.",
    );
  });

  it("matches the registry host exactly, not as a prefix", () => {
    const rendered = render({}, { imageRepository: "contoso.azurecr.io.evil.example/payments/api" });
    expect(codes(checkDeploymentPolicy(scenario({ rendered })))).toEqual(["image_registry_not_allowed"]);
  });

  it("refuses a manifest without a readiness or a liveness probe", () => {
    const rendered = render();
    const container = rendered.deployment.spec.template.spec.containers[0]!;
    delete container.readinessProbe;
    container.livenessProbe = {} as never;
    expect(checkDeploymentPolicy(scenario({ rendered }))).toEqual([
      {
        code: "readiness_probe_missing",
        field: "spec.template.spec.containers[0].readinessProbe",
        message:
          "Container payments-api has no readiness probe, so it would get traffic before it is ready; set a readiness path (such as /ready) in the service's deploy spec.",
      },
      {
        code: "liveness_probe_missing",
        field: "spec.template.spec.containers[0].livenessProbe",
        message:
          "Container payments-api has no liveness probe, so a hung process would never be restarted; set a liveness path (such as /healthz) in the service's deploy spec.",
      },
    ]);
  });

  it("refuses a manifest whose security context was weakened", () => {
    const rendered = render();
    rendered.deployment.spec.template.spec.securityContext.runAsNonRoot = false;
    const container = rendered.deployment.spec.template.spec.containers[0]!;
    container.securityContext = {
      ...container.securityContext,
      runAsNonRoot: false,
      allowPrivilegeEscalation: true,
      privileged: true,
      capabilities: { drop: [] },
    };
    expect(checkDeploymentPolicy(scenario({ rendered }))).toEqual([
      {
        code: "security_context_weakened",
        field: "spec.template.spec.containers[0].securityContext",
        message:
          "Container payments-api: runAsNonRoot must be true, allowPrivilegeEscalation must be false, privileged must not be true, capabilities must drop ALL; deploy a manifest rendered from the deploy spec, which sets them.",
      },
    ]);
  });

  it("refuses a container without requests or limits only when the namespace has no defaults for them", () => {
    const rendered = render();
    rendered.deployment.spec.template.spec.containers[0]!.resources = {} as never;
    expect(checkDeploymentPolicy(scenario({ rendered }))).toEqual([]);
    const bare = scenario({ rendered });
    bare.namespace.limitRange = {};
    expect(checkDeploymentPolicy(bare)).toEqual([
      {
        code: "resources_missing",
        field: "spec.template.spec.containers[0].resources",
        message: "Container payments-api has no CPU request or limit, and the namespace sets no default; set both in the service's deploy spec.",
      },
      {
        code: "resources_missing",
        field: "spec.template.spec.containers[0].resources",
        message: "Container payments-api has no memory request or limit, and the namespace sets no default; set both in the service's deploy spec.",
      },
    ]);
  });

  it("refuses limits above the LimitRange maximum and requests below its minimum", () => {
    const rendered = render({}, { cpuRequest: "25m", cpuLimit: "3", memoryRequest: "32Mi", memoryLimit: "4Gi" });
    expect(checkDeploymentPolicy(scenario({ rendered }))).toEqual([
      {
        code: "above_limit_range_max",
        field: "spec.template.spec.containers[0].resources.limits.cpu",
        message:
          "The CPU limit of payments-api (3) is above payments-prod's maximum of 2 per container; lower it in the service's deploy spec, or ask a platform admin to raise the maximum.",
      },
      {
        code: "above_limit_range_max",
        field: "spec.template.spec.containers[0].resources.limits.memory",
        message:
          "The memory limit of payments-api (4Gi) is above payments-prod's maximum of 2Gi per container; lower it in the service's deploy spec, or ask a platform admin to raise the maximum.",
      },
      {
        code: "below_limit_range_min",
        field: "spec.template.spec.containers[0].resources.requests.cpu",
        message: "The CPU request of payments-api (25m) is below payments-prod's minimum of 50m per container; raise it in the service's deploy spec.",
      },
      {
        code: "below_limit_range_min",
        field: "spec.template.spec.containers[0].resources.requests.memory",
        message: "The memory request of payments-api (32Mi) is below payments-prod's minimum of 64Mi per container; raise it in the service's deploy spec.",
      },
    ]);
  });

  it("allows values exactly at the LimitRange bounds", () => {
    const rendered = render({}, { cpuRequest: "50m", cpuLimit: "2000m", memoryRequest: "64Mi", memoryLimit: "2048Mi" });
    expect(checkDeploymentPolicy(scenario({ rendered }))).toEqual([]);
  });
});

describe("checkDeploymentPolicy: remaining quota, with the rolling update's surge", () => {
  // 3 replicas of 250m now (750m used); a new tag: 3 new pods and 1 surge old pod at the peak = 1 core.
  it("fits exactly when the quota holds the peak", () => {
    expect(checkDeploymentPolicy(withQuota({ "requests.cpu": "1" }, { "requests.cpu": "750m" }))).toEqual([]);
  });

  it("refuses when the surge pod does not fit, explaining the arithmetic", () => {
    expect(checkDeploymentPolicy(withQuota({ "requests.cpu": "900m" }, { "requests.cpu": "750m" }))).toEqual([
      {
        code: "quota_exceeded",
        field: "quota.requests.cpu",
        message:
          "At its peak this rollout needs 1 of CPU requests (4 pods: 3 replicas and 1 more while the old pods are replaced), but payments-prod has 900m for it (quota 900m, 750m used, 750m of it by the pods this rollout replaces); lower the replicas or the CPU request, or ask for a larger quota.",
      },
    ]);
  });

  it("counts only the new pods for a first deployment, and other services' usage", () => {
    const first = { current: null };
    expect(checkDeploymentPolicy(withQuota({ "requests.memory": "1Gi" }, { "requests.memory": "256Mi" }, first))).toEqual([]);
    expect(
      checkDeploymentPolicy(withQuota({ "requests.memory": "1Gi", "limits.memory": "1Gi" }, { "requests.memory": "512Mi", "limits.memory": "0" }, first)),
    ).toEqual([
      {
        code: "quota_exceeded",
        field: "quota.requests.memory",
        message:
          "At its peak this rollout needs 768Mi of memory requests (3 pods: 3 replicas), but payments-prod has 512Mi for it (quota 1Gi, 512Mi used); lower the replicas or the memory request, or ask for a larger quota.",
      },
      {
        code: "quota_exceeded",
        field: "quota.limits.memory",
        message:
          "At its peak this rollout needs 1536Mi of memory limits (3 pods: 3 replicas), but payments-prod has 1Gi for it (quota 1Gi, 0 used); lower the replicas or the memory limit, or ask for a larger quota.",
      },
    ]);
  });

  it("counts pods, and reads the quota's other spellings (cpu, memory, count/pods)", () => {
    expect(codes(checkDeploymentPolicy(withQuota({ pods: "3" }, { pods: "3" })))).toEqual(["quota_exceeded"]);
    expect(checkDeploymentPolicy(withQuota({ "count/pods": "3" }, { "count/pods": "3" }))[0]?.message).toBe(
      "At its peak this rollout needs 4 of pods (4 pods: 3 replicas and 1 more while the old pods are replaced), but payments-prod has 3 for it (quota 3, 3 used, 3 of it by the pods this rollout replaces); lower the replicas, or ask for a larger quota.",
    );
    expect(codes(checkDeploymentPolicy(withQuota({ cpu: "900m", memory: "1Gi" }, { cpu: "750m", memory: "768Mi" })))).toEqual(["quota_exceeded"]);
  });

  it("lets a rollout that needs less go ahead even when the namespace is already over its quota", () => {
    const smaller = render({ image: { tag: "1.4.3" }, replicas: 2 }, { cpuRequest: "100m" });
    expect(checkDeploymentPolicy(withQuota({ "requests.cpu": "500m" }, { "requests.cpu": "750m" }, { rendered: smaller }))).toEqual([]);
  });

  it("adds up millicores without floating-point surprises", () => {
    const tenth = render({}, { cpuRequest: "100m" });
    expect(checkDeploymentPolicy(withQuota({ "requests.cpu": "300m" }, { "requests.cpu": "0" }, { rendered: tenth, current: null }))).toEqual([]);
    const decimalTenth = render({}, { cpuRequest: "0.1" });
    expect(checkDeploymentPolicy(withQuota({ "requests.cpu": "0.3" }, { "requests.cpu": "0" }, { rendered: decimalTenth, current: null }))).toEqual([]);
    expect(codes(checkDeploymentPolicy(withQuota({ "requests.cpu": "299m" }, { "requests.cpu": "0" }, { rendered: decimalTenth, current: null })))).toEqual([
      "quota_exceeded",
    ]);
  });

  it("compares exactly: three bytes over a 3Gi quota are over (a relative epsilon let them through)", () => {
    const justOverAGibibyte = render({ replicas: 3 }, { memoryRequest: String(2 ** 30 + 1) });
    const violations = checkDeploymentPolicy(
      withQuota({ "requests.memory": "3Gi" }, { "requests.memory": "0" }, { rendered: justOverAGibibyte, current: null }),
    );
    expect(codes(violations)).toEqual(["quota_exceeded"]);
    expect(violations[0]?.message).toContain("needs 3221225475 of memory requests");
    const exactlyAGibibyte = render({ replicas: 3 }, { memoryRequest: String(2 ** 30) });
    expect(checkDeploymentPolicy(withQuota({ "requests.memory": "3Gi" }, { "requests.memory": "0" }, { rendered: exactlyAGibibyte, current: null }))).toEqual(
      [],
    );
  });

  it("ignores quota resources a Deployment does not use", () => {
    expect(
      checkDeploymentPolicy(
        withQuota({ "requests.storage": "1Gi", "services.loadbalancers": "0" }, { "requests.storage": "1Gi", "services.loadbalancers": "0" }),
      ),
    ).toEqual([]);
  });
});

describe("rolloutDemand", () => {
  const perPod = { cpu: 250n };

  it("a new tag of 4 replicas: 25% surge is 1 pod, so 5 at the peak", () => {
    const next = render({ replicas: 4 });
    const demand = rolloutDemand(next.deployment, next.deployment);
    expect(demand).toMatchObject({ replicas: 4, surge: 1, currentPods: 4, peakPods: 5 });
    expect(demand.peak["requests.cpu"]).toBe(5n * perPod.cpu);
    expect(demand.current["requests.cpu"]).toBe(4n * perPod.cpu);
  });

  it("scaling 2 → 8 with a new tag: 8 new pods and 2 old ones at the peak", () => {
    const demand = rolloutDemand(render({ replicas: 8 }).deployment, render({ replicas: 2 }).deployment);
    expect(demand).toMatchObject({ surge: 2, currentPods: 2, peakPods: 10 });
  });

  it("smaller new pods replacing big old ones: the peak is at the start, every old pod and one new", () => {
    const demand = rolloutDemand(render({ replicas: 4 }, { cpuRequest: "250m" }).deployment, render({ replicas: 4 }, { cpuRequest: "1" }).deployment);
    expect(demand.peak["requests.cpu"]).toBe(4n * 1000n + 1n * 250n);
    expect(demand.current["requests.cpu"]).toBe(4000n);
  });

  it("resolves maxSurge as the deployment controller does", () => {
    const withStrategy = (strategy: object, replicas = 10) => ({ spec: { replicas, strategy } });
    expect(surgePods(withStrategy({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } }, 1))).toBe(1);
    expect(surgePods(withStrategy({ type: "RollingUpdate", rollingUpdate: { maxSurge: "25%" } }))).toBe(3);
    expect(surgePods(withStrategy({ type: "RollingUpdate", rollingUpdate: { maxSurge: 2 } }))).toBe(2);
    expect(surgePods(withStrategy({}))).toBe(3);
    expect(surgePods(withStrategy({ type: "RollingUpdate", rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } }))).toBe(0);
    expect(surgePods(withStrategy({ type: "Recreate" }))).toBe(0);
  });
});

describe("formatAmount", () => {
  it.each([
    ["requests.cpu", 1000n, "1"],
    ["cpu", 250n, "250m"],
    ["limits.cpu", 1500n, "1500m"],
    ["requests.memory", 2n ** 30n * 1000n, "1Gi"],
    ["memory", 768n * 2n ** 20n * 1000n, "768Mi"],
    ["limits.memory", 1_000_000n, "1000"],
    ["pods", 4000n, "4"],
  ] as const)("%s %s → %s", (resource, value, text) => {
    expect(formatAmount(resource, value)).toBe(text);
  });
});
