// Integration: namespace requests, decisions and provisioning against the
// sandbox's AKS clusters and the test PostgreSQL. The job functions are called
// directly here; lib/namespaces/namespace-worker.test.ts runs them through pg-boss.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from "@kubernetes/client-node";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { clusterUserKubeconfig } from "@/lib/azure/clusters";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";
import { requestDecommission, requestQuotaChange, withdrawNamespaceRequest } from "@/lib/namespaces/change-namespace";
import { provisionNamespace, provisioningGaveUp } from "@/lib/namespaces/provision-namespace";
import { decommissionGaveUp, decommissionNamespace } from "@/lib/namespaces/decommission-namespace";
import { reconcileNamespaces } from "@/lib/namespaces/reconcile-namespaces";
import { reapplyNamespace } from "@/lib/namespaces/reapply-namespace";
import { getNamespace, listApprovalQueue } from "@/lib/namespaces/list-namespaces";
import { setNamespacePolicy } from "@/lib/namespaces/set-namespace-policy";
import { defaultPolicies } from "@/lib/namespaces/namespace-policy";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { listNotifications } from "@/lib/notifications/list-notifications";
import { PermanentJobError, RetryableJobError } from "@/lib/jobs/errors";
import { stopBoss } from "@/lib/jobs/boss";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const system = { kind: "system" as const, name: "test" };
const suffix = randomBytes(3).toString("hex");
const slug = `ns${suffix}`;
const otherSlug = `other${suffix}`;

let member: UserActor;
let outsider: UserActor;
let admin: UserActor;
let secondAdmin: UserActor;
let team: { id: string; slug: string; name: string };
let dev: { id: string; name: string };
let kube: KubeConfig;

async function user(name: string, isAdmin: boolean, teams: UserActor["teams"]): Promise<UserActor> {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name,
      email: `${name.split(" ")[0]!.toLowerCase()}@example.com`,
      groupIds: [],
      appRoles: isAdmin ? [getConfig().identity.adminAppRole] : [],
      lastSignInAt: new Date(),
    },
  });
  return { kind: "user", userId: row.id, name, email: row.email, isAdmin, teams };
}

const request = (name: string, change: Record<string, unknown> = {}) => ({
  teamId: team.id,
  clusterId: dev.id,
  name,
  quota: suggestedQuota,
  containerDefaults: suggestedDefaults,
  justification: "Orders API for the checkout flow",
  ...change,
});

async function approved(name: string): Promise<string> {
  const created = await requestNamespace({ actor: member, input: request(name) });
  const { namespaceId } = await decideNamespaceRequest({ actor: admin, requestId: created.id, input: { decision: "approve" } });
  return namespaceId!;
}

async function onCluster(kind: string, apiVersion: string, namespace?: string): Promise<KubernetesObject[]> {
  const list = await KubernetesObjectApi.makeApiClient(kube).list(apiVersion, kind, namespace);
  return list.items;
}

beforeAll(async () => {
  const prisma = getPrisma();
  const created = await prisma.team.create({
    data: { slug, name: `Team ${suffix}`, entraGroupIds: ["0c9d7e8f-2222-4c6a-9f00-000000000001"], costCenter: "CC-4711" },
  });
  await prisma.team.create({ data: { slug: otherSlug, name: `Other ${suffix}`, entraGroupIds: [] } });
  team = { id: created.id, slug: created.slug, name: created.name };
  member = await user("Mia Member", false, [team]);
  outsider = await user("Otto Outsider", false, []);
  admin = await user("Ada Admin", true, []);
  secondAdmin = await user("Bob Admin", true, []);
  await refreshClusters({ actor: system });
  for (const [name, environment] of [
    ["aks-dev-weu", "dev"],
    ["aks-prod-weu", "prod"],
    ["aks-lab-neu", "test"],
  ] as const) {
    await prisma.cluster.updateMany({ where: { name }, data: { environment } });
  }
  const cluster = await prisma.cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });
  dev = { id: cluster.id, name: cluster.name };
  kube = new KubeConfig();
  kube.loadFromString(await clusterUserKubeconfig(getConfig(), cluster));
});

afterEach(async () => {
  await faults({}, "DELETE");
});

afterAll(async () => {
  await stopBoss();
});

describe("requesting a namespace", () => {
  it.each([
    [`${slug.toUpperCase()}-orders`, "name", "lowercase"],
    ["kube-system", "name", "reserved"],
    [`${otherSlug}-orders`, "name", `the prefix of Other ${suffix}`],
    [`${slug}-${"a".repeat(64)}`, "name", "at most 63"],
  ])("refuses the name %s with a message", async (name, path, text) => {
    await expect(requestNamespace({ actor: member, input: request(name) })).rejects.toMatchObject({
      code: "invalid_input",
      path: [path],
      message: expect.stringContaining(text),
    });
  });

  it("refuses quotas over the ceiling, negative, malformed, and limits below requests", async () => {
    await expect(
      requestNamespace({ actor: member, input: request(`${slug}-big`, { quota: { ...suggestedQuota, requestsCpu: "64", limitsCpu: "64" } }) }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("above the dev ceiling of 8") });
    await expect(requestNamespace({ actor: member, input: request(`${slug}-neg`, { quota: { ...suggestedQuota, pods: "-3" } }) })).rejects.toMatchObject({
      path: ["quota", "pods"],
      message: expect.stringContaining("cannot be negative"),
    });
    await expect(
      requestNamespace({ actor: member, input: request(`${slug}-bad`, { quota: { ...suggestedQuota, limitsMemory: "1.5.0Gi" } }) }),
    ).rejects.toMatchObject({ path: ["quota", "limitsMemory"] });
    await expect(
      requestNamespace({ actor: member, input: request(`${slug}-low`, { quota: { ...suggestedQuota, limitsMemory: "1Gi" } }) }),
    ).rejects.toMatchObject({ path: ["quota", "limitsMemory"], message: expect.stringContaining("below the memory requests") });
  });

  it("refuses a request for another team (403, audited) and an unknown cluster", async () => {
    await expect(requestNamespace({ actor: outsider, input: request(`${slug}-x`) })).rejects.toMatchObject({ code: "forbidden" });
    expect(await getPrisma().auditEvent.count({ where: { actorId: outsider.userId, action: "namespace.request", outcome: "denied" } })).toBe(1);
    await expect(requestNamespace({ actor: member, input: request(`${slug}-x`, { clusterId: "nope" }) })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["clusterId"],
    });
  });

  it("refuses a name already requested on the cluster, and frees it when withdrawn", async () => {
    const first = await requestNamespace({ actor: member, input: request(`${slug}-dup`) });
    await expect(requestNamespace({ actor: member, input: request(`${slug}-dup`) })).rejects.toMatchObject({
      message: expect.stringContaining("already exists on aks-dev-weu or is waiting for approval"),
    });
    expect((await withdrawNamespaceRequest({ actor: member, requestId: first.id })).status).toBe("withdrawn");
    await expect(withdrawNamespaceRequest({ actor: member, requestId: first.id })).rejects.toMatchObject({ code: "conflict" });
    const second = await requestNamespace({ actor: member, input: request(`${slug}-dup`) });
    await withdrawNamespaceRequest({ actor: member, requestId: second.id });
  });

  it("notifies admins and shows the request in their queue with its policy check", async () => {
    const created = await requestNamespace({ actor: member, input: request(`${slug}-queued`) });
    const queue = await listApprovalQueue({ actor: admin });
    const entry = queue.find((q) => q.request.id === created.id)!;
    expect(entry.violationsNow).toEqual([]);
    expect(entry.request.costCenter).toBe("CC-4711");
    expect((await listNotifications({ actor: admin })).items[0]?.message).toContain(`${slug}-queued`);
    await expect(listApprovalQueue({ actor: member })).rejects.toMatchObject({ code: "forbidden" });
    await withdrawNamespaceRequest({ actor: member, requestId: created.id });
  });
});

describe("the policy an admin sets", () => {
  it("is admin-only, validated, audited, and applies to the next request", async () => {
    const test = { ...defaultPolicies.test, ceilings: { ...defaultPolicies.test.ceilings, requestsCpu: "1", limitsCpu: "2" } };
    await expect(setNamespacePolicy({ actor: member, input: test })).rejects.toMatchObject({ code: "forbidden" });
    await expect(setNamespacePolicy({ actor: admin, input: { ...test, maxNamespacesPerTeam: -1 } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["maxNamespacesPerTeam"],
    });
    await expect(setNamespacePolicy({ actor: admin, input: { ...test, ceilings: { ...test.ceilings, storage: "lots" } } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["ceilings", "storage"],
    });
    await setNamespacePolicy({ actor: admin, input: test });
    try {
      const lab = await getPrisma().cluster.findFirstOrThrow({ where: { name: "aks-lab-neu" } });
      await expect(requestNamespace({ actor: member, input: request(`${slug}-lab`, { clusterId: lab.id }) })).rejects.toMatchObject({
        message: expect.stringContaining("CPU requests 2 is above the test ceiling of 1"),
      });
      expect(await getPrisma().auditEvent.count({ where: { action: "namespace_policy.update", resourceId: "test", outcome: "success" } })).toBe(1);
    } finally {
      await getPrisma().namespacePolicy.delete({ where: { environment: "test" } });
    }
  });
});

describe("deciding", () => {
  it("lets only admins decide, never the requester unless the policy allows, and counts exactly one of two decisions", async () => {
    const created = await requestNamespace({ actor: member, input: request(`${slug}-race`) });
    await expect(decideNamespaceRequest({ actor: member, requestId: created.id, input: { decision: "approve" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(decideNamespaceRequest({ actor: admin, requestId: created.id, input: { decision: "reject" } })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("Say why"),
    });
    const results = await Promise.allSettled([
      decideNamespaceRequest({ actor: admin, requestId: created.id, input: { decision: "approve" } }),
      decideNamespaceRequest({ actor: secondAdmin, requestId: created.id, input: { decision: "reject", reason: "Use the shared namespace" } }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toMatchObject({ code: "conflict", message: expect.stringMatching(/already (approved|rejected) by (Ada|Bob) Admin/) });
    const row = await getPrisma().namespaceRequest.findUniqueOrThrow({ where: { id: created.id } });
    expect(await getPrisma().namespace.count({ where: { name: `${slug}-race` } })).toBe(row.status === "approved" ? 1 : 0);
    const notice = (await listNotifications({ actor: member })).items[0]!;
    expect(notice.message).toMatch(/(approved|rejected)/);
  });

  it("refuses an admin approving their own request when the policy does not allow it", async () => {
    const adminMember = await user("Sam Both", true, [team]);
    const created = await requestNamespace({ actor: adminMember, input: request(`${slug}-self`) });
    await expect(decideNamespaceRequest({ actor: adminMember, requestId: created.id, input: { decision: "approve" } })).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("another platform admin"),
    });
    await getPrisma().namespacePolicy.create({ data: { environment: "dev", ceilings: {}, maxNamespacesPerTeam: 10, allowSelfApproval: true } });
    try {
      expect((await decideNamespaceRequest({ actor: adminMember, requestId: created.id, input: { decision: "approve" } })).request.status).toBe("approved");
    } finally {
      await getPrisma().namespacePolicy.delete({ where: { environment: "dev" } });
    }
  });
});

describe("provisioning", () => {
  it("applies the six objects with server-side apply, idempotently, and reports ready", async () => {
    const id = await approved(`${slug}-orders`);
    await provisionNamespace({ namespaceId: id, attempt: 1 });
    const { namespace } = await getNamespace({ actor: member, id });
    expect(namespace).toMatchObject({ status: "ready", statusMessage: null, drift: [] });
    const name = `${slug}-orders`;
    const ns = await KubernetesObjectApi.makeApiClient(kube).read({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    expect(ns.metadata?.labels).toMatchObject({
      "wharf.io/team": slug,
      "wharf.io/cost-center": "CC-4711",
      "wharf.io/environment": "dev",
      "app.kubernetes.io/managed-by": "wharf",
    });
    expect(ns.metadata?.managedFields?.some((f) => f.manager === "wharf" && f.operation === "Apply")).toBe(true);
    const counts = async () => ({
      quotas: (await onCluster("ResourceQuota", "v1", name)).length,
      limits: (await onCluster("LimitRange", "v1", name)).length,
      bindings: (await onCluster("RoleBinding", "rbac.authorization.k8s.io/v1", name)).length,
      policies: (await onCluster("NetworkPolicy", "networking.k8s.io/v1", name)).map((p) => p.metadata?.name).sort(),
    });
    const first = await counts();
    expect(first).toEqual({ quotas: 1, limits: 1, bindings: 1, policies: ["wharf-allow-same-namespace-and-ingress", "wharf-default-deny-ingress"] });
    await reapplyNamespace({ actor: member, namespaceId: id }).catch(() => undefined);
    await getPrisma().namespace.update({ where: { id }, data: { status: "provisioning" } });
    await provisionNamespace({ namespaceId: id, attempt: 2 });
    expect(await counts()).toEqual(first);
    expect((await listNotifications({ actor: member })).items.some((n) => n.message === `${name} on aks-dev-weu is ready.`)).toBe(true);
  });

  it("finishes what a crashed attempt started, leaving exactly the approved objects", async () => {
    const id = await approved(`${slug}-crash`);
    const name = `${slug}-crash`;
    const api = KubernetesObjectApi.makeApiClient(kube);
    // A previous attempt got as far as the namespace and its quota, with an older quota.
    await api.create({ apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { "app.kubernetes.io/managed-by": "wharf", "wharf.io/team": slug } } });
    await api.create({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "wharf-quota", namespace: name },
      spec: { hard: { pods: "3" } },
    } as KubernetesObject);
    await provisionNamespace({ namespaceId: id, attempt: 2 });
    const quotas = await onCluster("ResourceQuota", "v1", name);
    expect(quotas).toHaveLength(1);
    expect((quotas[0] as { spec: { hard: Record<string, string> } }).spec.hard).toMatchObject({ pods: "50", "requests.cpu": "2" });
    const detail = await getNamespace({ actor: member, id });
    expect(detail.namespace.status).toBe("ready");
    // How a member reaches it with kubectl: the cluster's own subscription and resource group, as ARM reported them.
    const cluster = await getPrisma().cluster.findUniqueOrThrow({ where: { id: detail.namespace.cluster.id } });
    expect(detail.connect.steps.map((step) => step.command)).toEqual(
      expect.arrayContaining([
        `az account set --subscription ${cluster.subscriptionId}`,
        `az aks get-credentials --resource-group ${cluster.resourceGroup} --name ${cluster.name}`,
        `kubectl config set-context --current --namespace ${name}`,
      ]),
    );
  });

  it("retries 429 (with Retry-After), 500, dropped connections and an unreachable cluster; fails at once on 403 with the API's message", async () => {
    const id = await approved(`${slug}-faults`);
    const attempt = () => provisionNamespace({ namespaceId: id, attempt: 1 });
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", errorRate: 1, errorStatus: 429, retryAfterSeconds: 7 }] });
    await expect(attempt()).rejects.toMatchObject({ name: "RetryableJobError", retryAfterSeconds: 7 });
    expect((await getNamespace({ actor: member, id })).namespace).toMatchObject({ status: "provisioning", statusMessage: expect.stringContaining("Retrying") });
    for (const rule of [{ errorRate: 1, errorStatus: 500 }, { errorRate: 1, drop: true }, { unreachable: true }]) {
      await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", ...rule }] });
      await expect(attempt()).rejects.toBeInstanceOf(RetryableJobError);
    }
    await faults({}, "DELETE");
    await attempt();
    expect((await getNamespace({ actor: member, id })).namespace.status).toBe("ready");

    // Terminating namespace: the API server forbids new content (403), which no retry fixes.
    const doomed = await approved(`${slug}-doomed`);
    const api = KubernetesObjectApi.makeApiClient(kube);
    await api.create({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: `${slug}-doomed`, labels: { "app.kubernetes.io/managed-by": "wharf", "wharf.io/team": slug } },
    });
    await api.delete({ apiVersion: "v1", kind: "Namespace", metadata: { name: `${slug}-doomed` } });
    const failure = await provisionNamespace({ namespaceId: doomed, attempt: 1 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PermanentJobError);
    expect((failure as Error).message).toMatch(/being terminated.*HTTP 403/);
    await provisioningGaveUp({ namespaceId: doomed, error: failure as Error });
    expect((await getNamespace({ actor: member, id: doomed })).namespace).toMatchObject({
      status: "failed",
      statusMessage: expect.stringContaining("being terminated"),
      gaveUpAt: expect.any(String),
    });
    // The team retries; the mark is cleared, and while the work runs a second retry is refused.
    expect(await reapplyNamespace({ actor: member, namespaceId: doomed })).toMatchObject({ status: "provisioning", gaveUpAt: null });
    await expect(reapplyNamespace({ actor: member, namespaceId: doomed })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("being provisioned now"),
    });
  });

  it("refuses to take over a namespace someone created by hand", async () => {
    const id = await approved(`${slug}-manual`);
    await KubernetesObjectApi.makeApiClient(kube).create({ apiVersion: "v1", kind: "Namespace", metadata: { name: `${slug}-manual` } });
    await expect(provisionNamespace({ namespaceId: id, attempt: 1 })).rejects.toThrow(/not managed by Wharf/);
  });
});

describe("drift, quota changes and decommissioning", () => {
  it("notices a deleted and an edited quota, and an admin re-applies", async () => {
    const id = await approved(`${slug}-drift`);
    await provisionNamespace({ namespaceId: id, attempt: 1 });
    const name = `${slug}-drift`;
    const api = KubernetesObjectApi.makeApiClient(kube);
    await api.delete({ apiVersion: "v1", kind: "LimitRange", metadata: { name: "wharf-limits", namespace: name } });
    await api.patch(
      { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "wharf-quota", namespace: name }, spec: { hard: { pods: "500" } } } as KubernetesObject,
      undefined,
      undefined,
      "kubectl-edit",
      undefined,
      "application/merge-patch+json",
    );
    const result = await reconcileNamespaces({ clusterId: dev.id });
    expect(result.clusters.find((c) => c.name === "aks-dev-weu")?.error).toBeUndefined();
    const { namespace } = await getNamespace({ actor: member, id });
    expect(namespace.drift).toEqual([
      "ResourceQuota wharf-quota was changed: pods is 500 (approved 50).",
      "LimitRange wharf-limits is missing from the cluster.",
    ]);
    expect(namespace.usage?.hard.pods).toBe("500");
    await expect(reapplyNamespace({ actor: member, namespaceId: id })).rejects.toMatchObject({ code: "forbidden" });
    await reapplyNamespace({ actor: admin, namespaceId: id });
    await provisionNamespace({ namespaceId: id, attempt: 1 });
    await reconcileNamespaces({ clusterId: dev.id });
    expect((await getNamespace({ actor: member, id })).namespace).toMatchObject({ status: "ready", drift: [] });
    const audit = await getPrisma().auditEvent.findMany({
      where: { resourceId: id },
      orderBy: { id: "asc" },
      select: { action: true, outcome: true, actorName: true },
    });
    expect(audit.map((event) => `${event.action}:${event.outcome}`)).toEqual([
      "namespace.provision:success",
      "namespace.drift_detected:success",
      "namespace.reapply:denied",
      "namespace.reapply:success",
      "namespace.provision:success",
    ]);
    // In sync again: the same rule as the page's, so there is nothing to re-apply (409, not a second provisioning).
    await expect(reapplyNamespace({ actor: admin, namespaceId: id })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("nothing to re-apply"),
    });
  });

  it("changes the quota through a request and an approval", async () => {
    const id = await approved(`${slug}-grow`);
    await provisionNamespace({ namespaceId: id, attempt: 1 });
    await expect(
      requestQuotaChange({
        actor: member,
        namespaceId: id,
        input: { quota: { ...suggestedQuota, requestsCpu: "99" }, containerDefaults: suggestedDefaults, justification: "More traffic next month" },
      }),
    ).rejects.toMatchObject({ code: "invalid_input" });
    const change = await requestQuotaChange({
      actor: member,
      namespaceId: id,
      input: { quota: { ...suggestedQuota, pods: "80" }, containerDefaults: suggestedDefaults, justification: "More traffic next month" },
    });
    await decideNamespaceRequest({ actor: admin, requestId: change.id, input: { decision: "approve" } });
    await provisionNamespace({ namespaceId: id, attempt: 1 });
    const [quota] = await onCluster("ResourceQuota", "v1", `${slug}-grow`);
    expect((quota as { spec: { hard: Record<string, string> } }).spec.hard.pods).toBe("80");
  });

  it("offers a retry of a decommission once the worker gave up on it, and only then", async () => {
    const id = await approved(`${slug}-stuck`);
    await provisionNamespace({ namespaceId: id, attempt: 1 });
    await getPrisma().namespace.update({ where: { id }, data: { status: "decommissioning", statusMessage: "Deleting" } });
    await expect(reapplyNamespace({ actor: member, namespaceId: id })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining("being decommissioned now"),
    });
    await decommissionGaveUp({ namespaceId: id, error: new Error("the cluster refused: HTTP 403") });
    expect((await getNamespace({ actor: member, id })).namespace).toMatchObject({ status: "decommissioning", gaveUpAt: expect.any(String) });
    expect(await reapplyNamespace({ actor: member, namespaceId: id })).toMatchObject({
      status: "decommissioning",
      statusMessage: "Waiting for a worker",
      gaveUpAt: null,
    });
    // The retried decommission runs to its end (and frees the team's place under the dev namespace cap).
    for (let i = 0; ; i++) {
      try {
        await decommissionNamespace({ namespaceId: id });
        break;
      } catch (error) {
        if (!(error instanceof RetryableJobError) || i > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect((await getNamespace({ actor: member, id })).namespace).toMatchObject({ status: "decommissioned", gaveUpAt: null });
  });

  it("decommissions after a typed confirmation and an approval, keeping the record and freeing the name", async () => {
    const name = `${slug}-gone`;
    const id = await approved(name);
    await provisionNamespace({ namespaceId: id, attempt: 1 });
    await expect(
      requestDecommission({ actor: member, namespaceId: id, input: { confirmName: `${name}x`, justification: "Replaced by the new one" } }),
    ).rejects.toMatchObject({ code: "invalid_input", path: ["confirmName"] });
    const decommission = await requestDecommission({ actor: member, namespaceId: id, input: { confirmName: name, justification: "Replaced by the new one" } });
    await decideNamespaceRequest({ actor: admin, requestId: decommission.id, input: { decision: "approve" } });
    for (let i = 0; ; i++) {
      try {
        await decommissionNamespace({ namespaceId: id });
        break;
      } catch (error) {
        if (!(error instanceof RetryableJobError) || i > 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    expect((await getNamespace({ actor: member, id })).namespace).toMatchObject({ status: "decommissioned" });
    expect((await onCluster("Namespace", "v1")).some((n) => n.metadata?.name === name)).toBe(false);
    const again = await requestNamespace({ actor: member, input: request(name) });
    expect(again.status).toBe("pending");
  });
});
