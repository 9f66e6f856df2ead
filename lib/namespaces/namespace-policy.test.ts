import { describe, expect, it } from "vitest";
import { checkNamespacePolicy, checkName, defaultPolicies, type PolicyContext } from "@/lib/namespaces/namespace-policy";
import { namespaceRequestInput, suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";

const context: PolicyContext = {
  kind: "create",
  team: { slug: "payments", name: "Payments" },
  otherTeams: [{ slug: "checkout", name: "Checkout" }],
  cluster: { name: "aks-dev-weu", environment: "dev" },
  policy: defaultPolicies.dev,
  takenNames: new Set(["payments-ledger"]),
  teamNamespaceCount: 2,
};

const subject = { name: "payments-orders", quota: suggestedQuota, containerDefaults: suggestedDefaults };

describe("namespace names", () => {
  it.each([
    ["Payments-Orders", "Namespace names are lowercase: use payments-orders."],
    [`payments-${"a".repeat(55)}`, "The name has 64 characters; a namespace name can have at most 63."],
    ["kube-system", "kube-system is reserved for the cluster (default, kube-* and wharf-* are not available); use payments-<something>."],
    ["default", "default is reserved for the cluster (default, kube-* and wharf-* are not available); use payments-<something>."],
    ["wharf-system", "wharf-system is reserved for the cluster (default, kube-* and wharf-* are not available); use payments-<something>."],
    ["checkout-orders", "checkout-orders starts with checkout-, the prefix of Checkout; namespaces of Payments start with payments-."],
    ["orders", "Namespaces of Payments start with payments-, such as payments-orders."],
    ["payments-ledger", "payments-ledger already exists on aks-dev-weu or is waiting for approval; choose another name."],
    [
      "payments_orders",
      "A namespace name may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit (a DNS-1123 label).",
    ],
    [
      "payments-orders-",
      "A namespace name may contain only lowercase letters, digits and hyphens, and must start and end with a letter or digit (a DNS-1123 label).",
    ],
  ])("refuses %s", (name, message) => {
    expect(checkName(name, context)).toBe(message);
  });

  it("accepts a DNS-1123 label with the team's prefix", () => {
    expect(checkName("payments-orders", context)).toBeNull();
    expect(checkName(`payments-${"a".repeat(54)}`, context)).toBeNull();
  });
});

describe("quotas", () => {
  it("passes the suggested quota in every environment", () => {
    for (const policy of Object.values(defaultPolicies)) {
      expect(checkNamespacePolicy(subject, { ...context, policy, cluster: { name: "c", environment: policy.environment } })).toEqual([]);
    }
  });

  it("refuses quotas over the environment's ceiling, naming the ceiling", () => {
    const violations = checkNamespacePolicy({ ...subject, quota: { ...suggestedQuota, requestsCpu: "9", limitsCpu: "20", loadBalancers: "2" } }, context);
    expect(violations).toEqual([
      { field: "quota.requestsCpu", message: "CPU requests 9 is above the dev ceiling of 8; lower it, or ask a platform admin to raise the ceiling." },
      { field: "quota.limitsCpu", message: "CPU limits 20 is above the dev ceiling of 16; lower it, or ask a platform admin to raise the ceiling." },
      { field: "quota.loadBalancers", message: "Load balancers 2 is above the dev ceiling of 1; lower it, or ask a platform admin to raise the ceiling." },
    ]);
  });

  it("compares quantities by value, not by text", () => {
    expect(checkNamespacePolicy({ ...subject, quota: { ...suggestedQuota, requestsMemory: "32768Mi", limitsMemory: "34359738368" } }, context)).toEqual([]);
    expect(checkNamespacePolicy({ ...subject, quota: { ...suggestedQuota, requestsMemory: "32769Mi", limitsMemory: "64Gi" } }, context)[0]?.field).toBe(
      "quota.requestsMemory",
    );
  });

  it("refuses limits below requests, for the namespace and for container defaults", () => {
    const violations = checkNamespacePolicy(
      {
        ...subject,
        quota: { ...suggestedQuota, requestsCpu: "4", limitsCpu: "2" },
        containerDefaults: { ...suggestedDefaults, requestMemory: "1Gi", limitMemory: "512Mi" },
      },
      context,
    );
    expect(violations.map((v) => v.field)).toEqual(["quota.limitsCpu", "containerDefaults.limitMemory"]);
    expect(violations[0]!.message).toBe("The CPU limits (2) are below the CPU requests (4); raise the limits or lower the requests.");
  });

  it("refuses a default container limit above the namespace's limits", () => {
    const violations = checkNamespacePolicy({ ...subject, containerDefaults: { ...suggestedDefaults, limitCpu: "8" } }, context);
    expect(violations).toEqual([
      { field: "containerDefaults.limitCpu", message: "Default CPU limit (8) is above the namespace's CPU limits (4); no container could start." },
    ]);
  });

  it("refuses when the team already has the most namespaces allowed", () => {
    const violations = checkNamespacePolicy(subject, { ...context, teamNamespaceCount: 10 });
    expect(violations).toEqual([
      {
        field: "clusterId",
        message: "Payments already has 10 namespaces (or requests) in dev, the most allowed; decommission one first or ask a platform admin.",
      },
    ]);
  });

  it("refuses a cluster without an environment", () => {
    expect(checkNamespacePolicy(subject, { ...context, cluster: { name: "aks-new", environment: null }, policy: null })[0]?.message).toBe(
      "aks-new has no environment yet; a platform admin sets it under Admin → Clusters before namespaces can be requested there.",
    );
  });

  it("does not check the name or the count for a quota change", () => {
    expect(checkNamespacePolicy({ ...subject, name: "payments-ledger" }, { ...context, kind: "change", teamNamespaceCount: 99 })).toEqual([]);
  });
});

describe("request input", () => {
  const valid = {
    teamId: "t",
    clusterId: "c",
    name: "payments-orders",
    quota: suggestedQuota,
    containerDefaults: suggestedDefaults,
    justification: "Orders API for the checkout flow",
  };
  const problem = (change: Record<string, unknown>) => {
    const result = namespaceRequestInput.safeParse({ ...valid, ...change });
    return result.success ? null : { path: result.error.issues[0]!.path.join("."), message: result.error.issues[0]!.message };
  };

  it("accepts a complete request", () => {
    expect(problem({})).toBeNull();
  });

  it.each([
    [
      { quota: { ...suggestedQuota, requestsMemory: "1.5.0Gi" } },
      "quota.requestsMemory",
      'Memory requests must be a Kubernetes quantity, a size such as 512Mi or 4Gi, not "1.5.0Gi".',
    ],
    [{ quota: { ...suggestedQuota, requestsCpu: "-1" } }, "quota.requestsCpu", "CPU requests cannot be negative; use a CPU quantity such as 500m or 2."],
    [{ quota: { ...suggestedQuota, pods: "2.5" } }, "quota.pods", 'Pods must be a whole number such as 20, not "2.5".'],
    [{ quota: { ...suggestedQuota, storage: "" } }, "quota.storage", "Give the storage, a size such as 512Mi or 4Gi."],
    [{ justification: "because" }, "justification", "Say what the namespace is for, in at least 10 characters."],
    [
      { costCenter: "CC 4711" },
      "costCenter",
      "The cost center becomes a Kubernetes label: letters, digits, - _ and ., starting and ending with a letter or digit, such as CC-4711.",
    ],
  ])("refuses %o", (change, path, message) => {
    expect(problem(change)).toEqual({ path, message });
  });
});
