// ResourceQuota as the API server and quota controller enforce it: pods that
// would exceed `spec.hard` are refused with the real Forbidden message, the
// ReplicaSet records FailedCreate, and `status.used` follows pods.
import { afterEach, describe, expect, it } from "vitest";
import { isPlainObject } from "../objects";
import { resolveFenceposts } from "./fenceposts";
import { imageOutcome, parseImage } from "./images";
import { canonical, formatMilli, toMilli } from "../quantities";
import { condition, deploymentBody, eventsFor, startTestCluster, status, types, type TestCluster } from "./test-support";

let cluster: TestCluster | undefined;
afterEach(() => cluster?.close());

const resources = { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } };

function quota(hard: Record<string, string>) {
  return { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "team-quota" }, spec: { hard } };
}

function quotaStatus(c: TestCluster) {
  return status(c.store.get(types.resourceQuotas, c.namespace, "team-quota"));
}

describe("ResourceQuota", () => {
  it("refuses pods beyond the quota with FailedCreate and keeps status.used current", async () => {
    const c = (cluster = startTestCluster({ speed: 50 }));
    c.create(types.resourceQuotas, quota({ pods: "2", "requests.cpu": "1", "limits.memory": "1Gi" }));
    await c.until(() => isPlainObject(quotaStatus(c).used));
    expect(quotaStatus(c)).toEqual({
      hard: { pods: "2", "requests.cpu": "1", "limits.memory": "1Gi" },
      used: { pods: "0", "requests.cpu": "0", "limits.memory": "0" },
    });

    c.create(types.deployments, deploymentBody("web", { replicas: 3, resources }));
    const rs = await c.until(() => {
      const found = c.store.list(types.replicaSets, c.namespace)[0];
      return condition(found, "ReplicaFailure") ? found : undefined;
    });
    const failure = condition(rs, "ReplicaFailure");
    expect(failure).toMatchObject({ status: "True", reason: "FailedCreate" });
    expect(failure?.message).toMatch(
      new RegExp(`^pods "${rs.metadata.name ?? ""}-[a-z0-9]{5}" is forbidden: exceeded quota: team-quota, requested: pods=1, used: pods=2, limited: pods=2$`),
    );
    const failedCreate = eventsFor(c, rs.metadata.name ?? "").find((event) => event.reason === "FailedCreate");
    expect(failedCreate).toMatchObject({ type: "Warning", source: { component: "replicaset-controller" } });
    expect(failedCreate?.message).toBe(`Error creating: ${String(failure?.message)}`);
    expect(c.store.list(types.pods, c.namespace)).toHaveLength(2);
    expect(quotaStatus(c).used).toEqual({ pods: "2", "requests.cpu": "500m", "limits.memory": "512Mi" });
    await c.until(() => condition(c.deployment("web"), "ReplicaFailure"));
    expect(condition(c.deployment("web"), "ReplicaFailure")).toMatchObject({ status: "True", reason: "FailedCreate" });

    c.patch(types.deployments, "web", { spec: { replicas: 1 } });
    await c.until(() => quotaStatus(c).used && (quotaStatus(c).used as Record<string, string>).pods === "1");
    expect(quotaStatus(c).used).toEqual({ pods: "1", "requests.cpu": "250m", "limits.memory": "256Mi" });
    await c.until(() => !condition(c.deployment("web"), "ReplicaFailure") && status(c.deployment("web")).availableReplicas === 1);
  });

  it("lets a blocked ReplicaSet continue once the quota is raised", async () => {
    const c = (cluster = startTestCluster({ speed: 50 }));
    c.create(types.resourceQuotas, quota({ "requests.cpu": "500m" }));
    c.create(types.deployments, deploymentBody("web", { replicas: 3, resources }));
    const rs = await c.until(() => {
      const found = c.store.list(types.replicaSets, c.namespace)[0];
      return condition(found, "ReplicaFailure") ? found : undefined;
    });
    expect(condition(rs, "ReplicaFailure")?.message).toContain(
      "exceeded quota: team-quota, requested: requests.cpu=250m, used: requests.cpu=500m, limited: requests.cpu=500m",
    );
    c.operations.patch(types.resourceQuotas, c.namespace, "team-quota", "merge", { spec: { hard: { "requests.cpu": "2" } } }, { manager: "wharf" });
    await c.until(() => status(c.deployment("web")).availableReplicas === 3);
    expect(condition(c.store.list(types.replicaSets, c.namespace)[0], "ReplicaFailure")).toBeUndefined();
    expect(quotaStatus(c).used).toEqual({ "requests.cpu": "750m" });
  });

  it("requires requests or limits the quota tracks, unless a LimitRange defaults them", async () => {
    const c = (cluster = startTestCluster({ speed: 50 }));
    c.create(types.resourceQuotas, quota({ "limits.cpu": "4", "limits.memory": "4Gi" }));
    c.create(types.deployments, deploymentBody("web", { replicas: 1 }));
    const rs = await c.until(() => {
      const found = c.store.list(types.replicaSets, c.namespace)[0];
      return condition(found, "ReplicaFailure") ? found : undefined;
    });
    expect(condition(rs, "ReplicaFailure")?.message).toMatch(
      /is forbidden: failed quota: team-quota: must specify limits\.cpu for: web; limits\.memory for: web$/,
    );

    c.create(types.limitRanges, {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "defaults" },
      spec: { limits: [{ type: "Container", default: { cpu: "500m", memory: "512Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }] },
    });
    // No nudge: the ReplicaSet's own retry finds the LimitRange, as the real controller's requeue does.
    await c.until(() => status(c.deployment("web")).availableReplicas === 1);
    const pod = c.store.list(types.pods, c.namespace)[0];
    expect(pod?.metadata.annotations?.["kubernetes.io/limit-ranger"]).toBe(
      "LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web",
    );
    await c.until(() => (quotaStatus(c).used as Record<string, string>)["limits.cpu"] === "500m");
    expect(quotaStatus(c).used).toEqual({ "limits.cpu": "500m", "limits.memory": "512Mi" });
  });
});

describe("rules", () => {
  it("prints quantities in the API server's canonical form", () => {
    expect([toMilli("250m"), toMilli("0.5"), toMilli("1Gi"), toMilli("2")]).toEqual([250, 500, 1024 ** 3 * 1000, 2000]);
    expect(formatMilli(1500)).toBe("1500m");
    expect(formatMilli(2000)).toBe("2");
    expect(formatMilli(1_000_000)).toBe("1k");
    expect(formatMilli(768 * 1024 ** 2 * 1000, "BinarySI")).toBe("768Mi");
    expect(canonical("1000m")).toBe("1");
    expect(canonical("0.5")).toBe("500m");
    expect(canonical("4Gi")).toBe("4Gi");
  });

  it("resolves maxSurge up and maxUnavailable down, never both zero", () => {
    expect(resolveFenceposts("25%", "25%", 3)).toEqual({ maxSurge: 1, maxUnavailable: 0 });
    expect(resolveFenceposts("25%", "25%", 10)).toEqual({ maxSurge: 3, maxUnavailable: 2 });
    expect(resolveFenceposts(0, "10%", 5)).toEqual({ maxSurge: 0, maxUnavailable: 1 });
    expect(resolveFenceposts(2, 0, 4)).toEqual({ maxSurge: 2, maxUnavailable: 0 });
  });

  it("reads registries and tags with Docker's rules", () => {
    expect(parseImage("nginx").normalized).toBe("docker.io/library/nginx:latest");
    expect(parseImage("localhost:5000/app:1").registry).toBe("localhost:5000");
    const known = ["contoso.azurecr.io", "mcr.microsoft.com"];
    expect(imageOutcome("contoso.azurecr.io/team/web:1.2.3", known)).toBe("runs");
    expect(imageOutcome("CONTOSO.azurecr.io/web:crash", known)).toBe("crashes");
    expect(imageOutcome("mcr.microsoft.com/dotnet/aspnet:bad", known)).toBe("pullFails");
    expect(imageOutcome("nginx:1.27", known)).toBe("pullFails");
    expect(imageOutcome("nginx:1.27", ["docker.io"])).toBe("runs");
  });
});
