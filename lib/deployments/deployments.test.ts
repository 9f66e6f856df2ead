// Integration: deployments against the sandbox's AKS clusters (controller at
// speed 20) and the test PostgreSQL. The rollout job is called directly, as
// a worker would run it; the informer behind it is the real shared one.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { KubeConfig } from "@kubernetes/client-node";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { clusterUserKubeconfig } from "@/lib/azure/clusters";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";
import { provisionNamespace } from "@/lib/namespaces/provision-namespace";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { applyObject, readObject } from "@/lib/kubernetes/apply";
import { kubeRequest } from "@/lib/kubernetes/request";
import { retireService } from "@/lib/catalog/retire-service";
import { RetryableJobError } from "@/lib/jobs/errors";
import { stopBoss } from "@/lib/jobs/boss";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { createDeployment } from "./create-deployment";
import { previewDeployment } from "./preview-deployment";
import { approveDeployment } from "./approve-deployment";
import { cancelDeployment } from "./cancel-deployment";
import { rollbackDeployment } from "./rollback-deployment";
import { getDeployment, listDeployers, listDeployments } from "./list-deployments";
import { rolloutDeployment } from "./rollout-deployment";
import { rolloutInformer, stopRolloutInformers } from "./rollout-informers";
import { setNamespacePolicy } from "@/lib/namespaces/set-namespace-policy";
import { defaultPolicies } from "@/lib/namespaces/namespace-policy";
import type { DeploymentView } from "./deployment-view";
import { getPromotionSource } from "./promotion";
import { smallDeploySpec } from "@/lib/test-support/team-fixture";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const system = { kind: "system" as const, name: "test" };
const suffix = randomBytes(3).toString("hex");
const slug = `dp${suffix}`;
const teamGroup = `0c9d7e8f-3333-4c6a-9f00-${randomBytes(6).toString("hex")}`;

let member: UserActor;
let teammate: UserActor;
let outsider: UserActor;
let admin: UserActor;
let team: { id: string; slug: string; name: string };
let otherTeam: { id: string; slug: string; name: string };
let devCluster: { id: string; name: string; subscriptionId: string; resourceGroup: string };
let dev: string;
let quotaNs: string;
let prod: string;
let ops: string;
let kube: KubeConfig;

async function user(name: string, isAdmin: boolean, teams: UserActor["teams"]): Promise<UserActor> {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name,
      email: `${name.split(" ")[0]!.toLowerCase()}@example.com`,
      groupIds: teams.length ? [teamGroup] : [],
      appRoles: isAdmin ? [getConfig().identity.adminAppRole] : [],
      lastSignInAt: new Date(),
    },
  });
  return { kind: "user", userId: row.id, name, email: row.email, isAdmin, teams };
}

async function readyNamespace(name: string, clusterName: string): Promise<string> {
  const cluster = await getPrisma().cluster.findFirstOrThrow({ where: { name: clusterName } });
  const created = await requestNamespace({
    actor: member,
    input: {
      teamId: team.id,
      clusterId: cluster.id,
      name,
      quota: suggestedQuota,
      containerDefaults: suggestedDefaults,
      justification: "Deployments integration tests",
    },
  });
  const { namespaceId } = await decideNamespaceRequest({ actor: admin, requestId: created.id, input: { decision: "approve" } });
  await provisionNamespace({ namespaceId: namespaceId!, attempt: 1 });
  return namespaceId!;
}

async function service(name: string, change: { retired?: boolean; teamId?: string; replicas?: number } = {}): Promise<string> {
  const serviceSlug = `${name}-${suffix}`;
  await getPrisma().service.create({
    data: {
      slug: serviceSlug,
      displayName: serviceSlug,
      ownerTeamId: change.teamId ?? team.id,
      tier: "standard",
      lifecycle: "production",
      tags: [],
      searchText: serviceSlug,
      retiredAt: change.retired ? new Date() : null,
      deploySpec: smallDeploySpec(`contoso.azurecr.io/${slug}/${name}`, { replicas: change.replicas ?? 2 }),
    },
  });
  return serviceSlug;
}

const deploy = (actor: UserActor, serviceSlug: string, namespaceId: string, tag: string, extra: Record<string, unknown> = {}) =>
  createDeployment({ actor, input: { service: serviceSlug, namespaceId, tag, ...extra } });

async function rollOut(deployment: DeploymentView, timing = {}): Promise<DeploymentView> {
  await rolloutDeployment({ deploymentId: deployment.id, timing });
  return getDeployment({ actor: member, id: deployment.id });
}

async function liveImage(namespace: string, name: string): Promise<string | undefined> {
  const ns = await getPrisma().namespace.findUniqueOrThrow({ where: { id: namespace } });
  const live = await readObject<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(kube, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: ns.name },
  });
  return live?.spec.template.spec.containers[0]?.image;
}

async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms; last value ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  const prisma = getPrisma();
  const created = await prisma.team.create({ data: { slug, name: `Team ${suffix}`, entraGroupIds: [teamGroup], costCenter: "CC-4711" } });
  const other = await prisma.team.create({ data: { slug: `oth${suffix}`, name: `Other ${suffix}`, entraGroupIds: [] } });
  team = { id: created.id, slug: created.slug, name: created.name };
  otherTeam = { id: other.id, slug: other.slug, name: other.name };
  member = await user("Mia Member", false, [team]);
  teammate = await user("Tom Teammate", false, [team]);
  outsider = await user("Otto Outsider", false, []);
  admin = await user("Ada Admin", true, []);
  await refreshClusters({ actor: system });
  for (const [name, environment] of [
    ["aks-dev-weu", "dev"],
    ["aks-prod-weu", "prod"],
    ["aks-lab-neu", "test"],
  ] as const) {
    await prisma.cluster.updateMany({ where: { name }, data: { environment } });
  }
  const cluster = await prisma.cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });
  devCluster = cluster;
  kube = new KubeConfig();
  kube.loadFromString(await clusterUserKubeconfig(getConfig(), cluster));
  [dev, quotaNs, prod, ops] = await Promise.all([
    readyNamespace(`${slug}-dev`, "aks-dev-weu"),
    readyNamespace(`${slug}-quota`, "aks-dev-weu"),
    readyNamespace(`${slug}-prod`, "aks-prod-weu"),
    readyNamespace(`${slug}-ops`, "aks-dev-weu"),
  ]);
});

afterEach(async () => {
  await faults({}, "DELETE");
});

afterAll(async () => {
  stopRolloutInformers();
  await stopBoss();
});

describe("asking to deploy", () => {
  it("refuses a namespace that is not ready with 409, naming the field the request used", async () => {
    const closing = await readyNamespace(`${slug}-closing`, "aks-prod-weu");
    const api = await service("closing");
    const ns = await getPrisma().namespace.update({ where: { id: closing }, data: { status: "decommissioning" } });
    // Then gone, as a decommission ends: later tests expect the team's namespaces they made in a "did you mean".
    onTestFinished(async () => void (await getPrisma().namespace.update({ where: { id: closing }, data: { status: "decommissioned", activeName: null } })));
    const message = `${ns.name} is decommissioning, not ready; deploy once it is ready (see its page in Namespaces).`;
    await expect(createDeployment({ actor: member, input: { service: api, namespaceId: closing, tag: "1.0.0" } })).rejects.toMatchObject({
      code: "conflict",
      path: ["namespaceId"],
      message,
    });
    await expect(createDeployment({ actor: member, input: { service: api, cluster: "aks-prod-weu", namespace: ns.name, tag: "1.0.0" } })).rejects.toMatchObject(
      { code: "conflict", path: ["namespace"], message },
    );
    expect(await getPrisma().deployment.count({ where: { namespaceId: closing } })).toBe(0);
  });

  it("refuses bad input, another team's namespace, a retired service and an outsider, each saying what to change", async () => {
    const api = await service("refusals");
    await expect(deploy(member, api, dev, "has spaces")).rejects.toMatchObject({
      code: "invalid_input",
      path: ["tag"],
      message: expect.stringContaining("spaces"),
    });
    await expect(deploy(member, api, dev, "1.0.0", { replicas: 0 })).rejects.toMatchObject({ code: "invalid_input", path: ["replicas"] });
    await expect(createDeployment({ actor: member, input: { service: api, namespaceId: dev, digest: "md5:abc" } })).rejects.toMatchObject({ path: ["digest"] });
    await expect(deploy(outsider, api, dev, "1.0.0")).rejects.toMatchObject({ code: "forbidden" });
    expect(await getPrisma().auditEvent.count({ where: { actorId: outsider.userId, action: "deployment.create", outcome: "denied" } })).toBe(1);
    const retired = await service("retired", { retired: true });
    await expect(deploy(member, retired, dev, "1.0.0")).rejects.toMatchObject({ code: "invalid_input", message: expect.stringContaining("is retired") });
    const foreign = await service("foreign", { teamId: otherTeam.id });
    await expect(deploy(member, foreign, dev, "1.0.0")).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("belongs to another team"),
    });
    const greedy = await service("greedy", { replicas: 30 });
    await expect(deploy(member, greedy, dev, "1.0.0")).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("ask for a larger quota"),
    });
    expect(await getPrisma().deployment.count({ where: { service: { slug: { in: [api, retired, foreign, greedy] } } } })).toBe(0);
  });

  it("takes the cluster's and the namespace's names instead of the namespace id, and lists history by them", async () => {
    const api = await service("byname");
    const byName = { service: api, cluster: "aks-dev-weu", namespace: `${slug}-dev` };
    const preview = await previewDeployment({ actor: member, input: { ...byName, tag: "1.0.0" } });
    expect(preview.namespace).toMatchObject({ id: dev, name: `${slug}-dev`, cluster: "aks-dev-weu" });
    const created = await createDeployment({ actor: member, input: { ...byName, tag: "1.0.0" } });
    expect(created.namespace).toMatchObject({ id: dev, name: `${slug}-dev` });
    await expect(createDeployment({ actor: outsider, input: { ...byName, tag: "1.0.1" } })).rejects.toMatchObject({ code: "forbidden" });
    await expect(createDeployment({ actor: member, input: { ...byName, namespace: `${slug}-devv`, tag: "1.0.1" } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["namespace"],
      message: expect.stringContaining(`Its team, ${team.name}, has ${slug}-dev on aks-dev-weu`),
    });
    expect((await rollOut(created)).status).toBe("succeeded");

    const byId = (await listDeployments({ actor: outsider, filter: { service: api, namespace: dev } })).deployments;
    expect(byId.map((d) => d.id)).toEqual([created.id]);
    expect((await listDeployments({ actor: outsider, filter: byName })).deployments).toEqual(byId);
    expect((await listDeployments({ actor: outsider, filter: { service: api, cluster: "aks-dev-weu" } })).deployments.map((d) => d.id)).toEqual([created.id]);
    expect(await listDeployments({ actor: outsider, filter: { service: api, cluster: "aks-prod-weu", namespace: `${slug}-dev` } })).toEqual({
      deployments: [],
      older: null,
    });
    await expect(listDeployments({ actor: outsider, filter: { service: api, namespace: `${slug}-dev` } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["namespace"],
      message: expect.stringContaining("give cluster too"),
    });
    // The history's filters: environment, status, who; each refuses what it cannot mean.
    const ids = async (filter: Record<string, string>) =>
      (await listDeployments({ actor: outsider, filter: { service: api, ...filter } })).deployments.map((d) => d.id);
    expect(await ids({ environment: "dev" })).toEqual([created.id]);
    expect(await ids({ environment: "prod" })).toEqual([]);
    expect(await ids({ status: "succeeded, failed" })).toEqual([created.id]);
    expect(await ids({ status: "failed" })).toEqual([]);
    expect(await ids({ requestedBy: member.userId })).toEqual([created.id]);
    expect(await ids({ requestedBy: teammate.userId })).toEqual([]);
    expect(await ids({ cluster: "aks-dev-weu", environment: "dev" })).toEqual([created.id]);
    await expect(ids({ environment: "staging" })).rejects.toMatchObject({ code: "invalid_input", path: ["environment"], message: /one of dev, test, prod/ });
    await expect(ids({ status: "succeeded,done" })).rejects.toMatchObject({ code: "invalid_input", path: ["status"], message: /succeeded, failed/ });
    await expect(ids({ requestedBy: "mia" })).rejects.toMatchObject({ code: "invalid_input", path: ["requestedBy"] });
    expect(await listDeployers({ actor: outsider })).toEqual(expect.arrayContaining([{ id: member.userId, name: member.name }]));
  }, 60_000);

  it("previews the YAML and a diff against the last applied manifest, writing nothing", async () => {
    const api = await service("preview");
    const first = await previewDeployment({ actor: member, input: { service: api, namespaceId: dev, tag: "1.0.0" } });
    expect(first).toMatchObject({ revision: 1, current: null, violations: [], needsApproval: false, busy: null });
    expect(first.yaml).toContain(`image: contoso.azurecr.io/${slug}/preview:1.0.0`);
    expect(first.diff.removed).toBe(0);
    const created = await deploy(member, api, dev, "1.0.0");
    // What the create answers is what reading it back shows.
    expect(created).toEqual(await getDeployment({ actor: member, id: created.id }));
    const done = await rollOut(created);
    expect(done.status).toBe("succeeded");
    const second = await previewDeployment({ actor: member, input: { service: api, namespaceId: dev, tag: "1.0.1" } });
    expect(second.current).toMatchObject({ revision: 1 });
    expect(second.diff.lines.filter((line) => line.kind === "added").map((line) => line.text)).toEqual(
      expect.arrayContaining([expect.stringContaining("preview:1.0.1")]),
    );
    expect(await getPrisma().deployment.count({ where: { service: { slug: api } } })).toBe(1);
    expect(second.liveChanges).toEqual([]);
  });

  it("shows what was changed on the cluster outside Wharf since its last apply, and the next deployment puts it back", async () => {
    const api = await service("drifted");
    await rollOut(await deploy(member, api, dev, "1.0.0"));
    const ns = await getPrisma().namespace.findUniqueOrThrow({ where: { id: dev } });
    // As `kubectl set image` and `kubectl scale` would: a strategic merge patch by another field manager.
    await kubeRequest(kube, "PATCH", `/apis/apps/v1/namespaces/${ns.name}/deployments/${api}?fieldManager=kubectl-set`, {
      body: {
        spec: {
          replicas: 3,
          template: { spec: { containers: [{ name: api, image: `contoso.azurecr.io/${slug}/drifted:hotfix`, resources: { limits: { cpu: "500m" } } }] } },
        },
      },
      contentType: "application/strategic-merge-patch+json",
    });
    const preview = await previewDeployment({ actor: member, input: { service: api, namespaceId: dev, tag: "1.0.1" } });
    expect(preview.liveChanges).toEqual([
      { field: "replicas", live: "3", applied: "2" },
      { field: `image of ${api}`, live: `contoso.azurecr.io/${slug}/drifted:hotfix`, applied: `contoso.azurecr.io/${slug}/drifted:1.0.0` },
      { field: `CPU limit of ${api}`, live: "500m", applied: "200m" },
    ]);
    expect((await rollOut(await deploy(member, api, dev, "1.0.1"))).status).toBe("succeeded");
    expect(await liveImage(dev, api)).toContain(":1.0.1");
    expect((await previewDeployment({ actor: member, input: { service: api, namespaceId: dev, tag: "1.0.2" } })).liveChanges).toEqual([]);
    // Deleted by hand: the next preview says so.
    await kubeRequest(kube, "DELETE", `/apis/apps/v1/namespaces/${ns.name}/deployments/${api}`);
    expect((await previewDeployment({ actor: member, input: { service: api, namespaceId: dev, tag: "1.0.2" } })).liveChanges).toEqual([
      { field: "Deployment", live: "missing: deleted outside Wharf", applied: "present (revision 2)" },
    ]);
  }, 60_000);
});

describe("rolling out", () => {
  it("a good tag: applied with server-side apply, followed to succeeded with counts, pods and events", async () => {
    const api = await service("good");
    const created = await deploy(member, api, dev, "1.4.2");
    expect(created).toMatchObject({ status: "applying", revision: 1, kind: "deploy", needsApproval: false });
    const done = await rollOut(created);
    expect(done).toMatchObject({ status: "succeeded", reason: null, counts: { desired: 2, updated: 2, ready: 2, available: 2 } });
    expect(done.pods.filter((pod) => pod.updated && pod.ready)).toHaveLength(2);
    expect(done.events.length).toBeGreaterThan(0);
    expect(done.startedAt && done.finishedAt).toBeTruthy();
    const ns = await getPrisma().namespace.findUniqueOrThrow({ where: { id: dev } });
    const live = await readObject<{ metadata: { labels: Record<string, string>; managedFields: { manager: string; operation: string }[] } }>(kube, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: api, namespace: ns.name },
    });
    expect(live?.metadata.labels).toMatchObject({ "app.kubernetes.io/version": "1.4.2", "wharf.io/team": slug, "wharf.io/service": api });
    expect(live?.metadata.managedFields.some((field) => field.manager === "wharf" && field.operation === "Apply")).toBe(true);
    expect(await getPrisma().auditEvent.count({ where: { action: "deployment.rollout", resourceId: created.id, outcome: "success" } })).toBe(1);
    // Running the job again (a redelivery) changes nothing.
    expect((await rollOut(created)).status).toBe("succeeded");
  }, 60_000);

  it("tag bad: fails with ImagePullBackOff and the events that show it", async () => {
    const api = await service("pull");
    const done = await rollOut(await deploy(member, api, dev, "bad"));
    expect(done).toMatchObject({ status: "failed", reason: "ImagePullBackOff" });
    expect(done.message).toContain("cannot pull its image");
    expect(done.events.some((event) => event.type === "Warning" && /Failed|BackOff/.test(event.reason))).toBe(true);
  }, 60_000);

  it("tag crash: fails with CrashLoopBackOff after repeated restarts", async () => {
    const api = await service("crash");
    const done = await rollOut(await deploy(member, api, dev, "crash"));
    expect(done).toMatchObject({ status: "failed", reason: "CrashLoopBackOff" });
    expect(done.pods.some((pod) => pod.restarts >= 3)).toBe(true);
  }, 60_000);

  it("a quota cut after the check: fails with FailedCreate from the quota admission", async () => {
    const api = await service("quota");
    const created = await deploy(member, api, quotaNs, "1.0.0");
    const ns = await getPrisma().namespace.findUniqueOrThrow({ where: { id: quotaNs } });
    await applyObject(kube, {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "wharf-quota", namespace: ns.name },
      spec: { hard: { ...{ "requests.cpu": "150m", "limits.cpu": "4", "requests.memory": "4Gi", "limits.memory": "8Gi", pods: "50" } } },
    } as never);
    const done = await rollOut(created, { failedCreateGraceSeconds: 0 });
    expect(done).toMatchObject({ status: "failed", reason: "FailedCreate" });
    expect(done.message).toContain("exceeded quota");
    expect(done.events.some((event) => event.reason === "FailedCreate")).toBe(true);
  }, 60_000);

  it("never stays in progress: past Wharf's deadline it fails with Timeout", async () => {
    const api = await service("deadline");
    const created = await deploy(member, api, dev, "1.0.0");
    await getPrisma().deployment.update({
      where: { id: created.id },
      data: { status: "progressing", appliedGeneration: 999, startedAt: new Date(Date.now() - 5_000) },
    });
    const done = await rollOut(created, { followDeadlineSeconds: 3 });
    expect(done).toMatchObject({ status: "failed", reason: "Timeout" });
    expect(done.message).toContain("Wharf stopped waiting");
  }, 30_000);
});

describe("one rollout per service and namespace", () => {
  it("refuses a second with 409, or queues it and starts it when the first ends", async () => {
    const api = await service("busy");
    const first = await deploy(member, api, dev, "1.0.0");
    await expect(deploy(member, api, dev, "1.0.1")).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("still rolling out") });
    const queued = await deploy(member, api, dev, "1.0.1", { whenBusy: "queue" });
    expect(queued).toMatchObject({ status: "queued", revision: 2, queuedAt: expect.any(String), startedAt: null });
    expect(first.queuedAt).toBeNull();
    expect((await rollOut(first)).status).toBe("succeeded");
    expect((await getDeployment({ actor: member, id: queued.id })).status).toBe("applying");
    const second = await rollOut(queued);
    expect(second.status).toBe("succeeded");
    expect(Date.parse(second.startedAt!)).toBeGreaterThanOrEqual(Date.parse(second.queuedAt!));
    expect(await liveImage(dev, api)).toContain(":1.0.1");
  }, 60_000);
});

describe("production approval", () => {
  it("waits for a second person: never the requester, never an outsider; one approval counts", async () => {
    const api = await service("gated");
    const created = await deploy(member, api, prod, "2.0.0");
    expect(created).toMatchObject({ status: "awaiting-approval", needsApproval: true });
    await rolloutDeployment({ deploymentId: created.id });
    expect((await getDeployment({ actor: member, id: created.id })).status).toBe("awaiting-approval");
    await expect(approveDeployment({ actor: member, deploymentId: created.id })).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("someone else must approve"),
    });
    await expect(approveDeployment({ actor: outsider, deploymentId: created.id })).rejects.toMatchObject({ code: "forbidden" });
    const approved = await approveDeployment({ actor: teammate, deploymentId: created.id });
    expect(approved).toMatchObject({ status: "applying", approvedBy: { name: "Tom Teammate" } });
    await expect(approveDeployment({ actor: admin, deploymentId: created.id })).rejects.toMatchObject({ code: "conflict" });
    expect((await rollOut(approved)).status).toBe("succeeded");
    const notice = await getPrisma().notification.findFirst({ where: { userId: teammate.userId, link: `/deployments/${created.id}` } });
    expect(notice?.message).toContain("asks you to approve");
  }, 60_000);

  it("is the admins' choice per environment: production without the gate deploys at once, dev with it waits; one already waiting keeps waiting", async () => {
    onTestFinished(async () => {
      await getPrisma().namespacePolicy.deleteMany({ where: { environment: { in: ["dev", "prod"] } } });
    });
    const api = await service("gate-choice");
    const waiting = await deploy(member, api, prod, "2.0.0");
    expect(waiting.status).toBe("awaiting-approval");
    await expect(setNamespacePolicy({ actor: member, input: { ...defaultPolicies.prod, requireDeploymentApproval: false } })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(setNamespacePolicy({ actor: admin, input: { ...defaultPolicies.prod, requireDeploymentApproval: "no" } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["requireDeploymentApproval"],
    });
    await setNamespacePolicy({ actor: admin, input: { ...defaultPolicies.prod, requireDeploymentApproval: false } });
    await setNamespacePolicy({ actor: admin, input: { ...defaultPolicies.dev, requireDeploymentApproval: true } });
    expect((await getDeployment({ actor: member, id: waiting.id })).status).toBe("awaiting-approval");
    await cancelDeployment({ actor: member, deploymentId: waiting.id });
    const other = await service("gate-choice-dev");
    expect((await previewDeployment({ actor: member, input: { service: api, namespaceId: prod, tag: "2.0.1" } })).needsApproval).toBe(false);
    expect(await deploy(member, api, prod, "2.0.1")).toMatchObject({ status: "applying", needsApproval: false });
    expect(await deploy(member, other, dev, "1.0.0")).toMatchObject({ status: "awaiting-approval", needsApproval: true });
    expect(
      await getPrisma().auditEvent.count({ where: { action: "namespace_policy.update", resourceId: "prod", outcome: "success", actorId: admin.userId } }),
    ).toBe(1);
  }, 60_000);
});

describe("promotion", () => {
  // Its own dev namespace: three replicas would take the quota the other tests' dev deployments need.
  let promoDev: string;
  beforeAll(async () => {
    promoDev = await readyNamespace(`${slug}-promo`, "aks-dev-weu");
  });

  it("deploys the exact digest that runs in dev to prod, through the approval gate, and shows how the configuration differs", async () => {
    const api = await service("promo");
    const dev = promoDev;
    const ran = await rollOut(await deploy(member, api, dev, "2.3.0", { replicas: 3 }));
    expect(ran.status).toBe("succeeded");
    const source = await getPromotionSource({ actor: member, slug: api, namespaceId: dev });
    expect(source).toMatchObject({
      namespace: { id: dev, environment: "dev" },
      image: `contoso.azurecr.io/${slug}/promo:2.3.0`,
      tag: "2.3.0",
      replicas: 3,
      revision: 1,
      laterEnvironments: ["test", "prod"],
    });
    expect(source.digest).toMatch(/^sha256:[a-f0-9]{64}$/);

    const preview = await previewDeployment({
      actor: member,
      // As the form sends it: the digest with the tag it runs as (decision 0064); the sandbox registry maps 2.3.0 to that digest.
      input: { service: api, namespaceId: prod, digest: source.digest, tag: source.tag, replicas: 3, compareWith: dev },
    });
    expect(preview.needsApproval).toBe(true);
    expect(preview.tagCheck).toBe("checked");
    expect(preview.comparedWith).toMatchObject({ namespace: { id: dev, environment: "dev" }, revision: 1 });
    // The image: the same content, now pinned by digest and still tagged; replicas and resources the same, so not listed.
    expect(preview.comparedWith!.changes.map((change) => change.field)).toContain("image");
    expect(preview.comparedWith!.changes.find((change) => change.field === "image")).toMatchObject({
      now: `contoso.azurecr.io/${slug}/promo:2.3.0`,
      next: `contoso.azurecr.io/${slug}/promo:2.3.0@${source.digest}`,
    });
    expect(preview.comparedWith!.changes.map((change) => change.field)).not.toContain("replicas");

    const promoted = await createDeployment({
      actor: member,
      input: { service: api, namespaceId: prod, digest: source.digest, tag: source.tag!, replicas: 3 },
    });
    expect(promoted).toMatchObject({ status: "awaiting-approval", needsApproval: true, imageTag: "2.3.0", imageDigest: source.digest });
    const done = await rollOut(await approveDeployment({ actor: teammate, deploymentId: promoted.id }));
    expect(done.status).toBe("succeeded");
    // What runs in prod now is what ran in dev: the same digest, as the cluster resolved it.
    expect(await getPromotionSource({ actor: member, slug: api, namespaceId: dev })).toMatchObject({ digest: source.digest });
    expect((await getPrisma().deployment.findUniqueOrThrow({ where: { id: promoted.id } })).image).toBe(
      `contoso.azurecr.io/${slug}/promo:2.3.0@${source.digest}`,
    );
  }, 90_000);

  it("refuses to promote from the last environment, from where nothing runs, another team's namespace, or for an outsider, saying why", async () => {
    const api = await service("promo-no");
    const dev = promoDev;
    await expect(getPromotionSource({ actor: member, slug: api, namespaceId: prod })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("nowhere to promote to"),
    });
    await expect(getPromotionSource({ actor: member, slug: api, namespaceId: dev })).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`No ready pod of ${api} runs in`),
    });
    await expect(getPromotionSource({ actor: outsider, slug: api, namespaceId: dev })).rejects.toMatchObject({ code: "forbidden" });
    const theirs = await service("promo-theirs", { teamId: otherTeam.id });
    await expect(getPromotionSource({ actor: admin, slug: theirs, namespaceId: dev })).rejects.toMatchObject({
      code: "invalid_input",
      message: expect.stringContaining("is not one of"),
    });
    await expect(
      previewDeployment({ actor: member, input: { service: api, namespaceId: prod, tag: "1.0.0", compareWith: "not-a-uuid" } }),
    ).rejects.toMatchObject({ code: "invalid_input", path: ["compareWith"] });
  });

  it("says the cluster cannot be read, with a retry, when the source's cluster is unreachable", async () => {
    const api = await service("promo-down");
    expect((await rollOut(await deploy(member, api, promoDev, "3.2.0"))).status).toBe("succeeded");
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", unreachable: true }] });
    try {
      await expect(getPromotionSource({ actor: member, slug: api, namespaceId: promoDev })).rejects.toMatchObject({
        code: "dependency_unavailable",
        retryAfterSeconds: 60,
        message: expect.stringMatching(new RegExp(`^Wharf could not read what runs in ${slug}-promo on aks-dev-weu: .+ Try again in a minute\\.$`)),
      });
    } finally {
      await faults({}, "DELETE");
    }
    // Reachable again: the same request answers.
    expect(await getPromotionSource({ actor: member, slug: api, namespaceId: promoDev })).toMatchObject({ tag: "3.2.0" });
  }, 90_000);
});

describe("rollback and cancel", () => {
  it("rolls back to an earlier successful revision as a new, audited deployment", async () => {
    const api = await service("rollback");
    const one = await rollOut(await deploy(member, api, dev, "1.0.0"));
    await rollOut(await deploy(member, api, dev, "1.0.1"));
    const broken = await rollOut(await deploy(member, api, dev, "bad"));
    expect(broken.status).toBe("failed");
    await expect(rollbackDeployment({ actor: member, deploymentId: broken.id })).rejects.toMatchObject({ code: "conflict" });
    await expect(rollbackDeployment({ actor: outsider, deploymentId: one.id })).rejects.toMatchObject({ code: "forbidden" });
    const back = await rollbackDeployment({ actor: member, deploymentId: one.id });
    expect(back).toMatchObject({ kind: "rollback", revision: 4, rolledBackFromId: one.id, image: one.image, status: "applying" });
    expect(back.manifestYaml).toContain("Roll back to revision 1 by Mia Member");
    expect((await rollOut(back)).status).toBe("succeeded");
    expect(await liveImage(dev, api)).toContain(":1.0.0");
    const history = await listDeployments({ actor: outsider, filter: { service: api, namespace: dev } });
    expect(history.deployments.map((d) => [d.revision, d.status])).toEqual([
      [4, "succeeded"],
      [3, "failed"],
      [2, "succeeded"],
      [1, "succeeded"],
    ]);
    expect(history.older).toBeNull();
    // Page by page, two at a time: every revision once, in order.
    const first = await listDeployments({ actor: outsider, filter: { service: api, namespace: dev, limit: 2 } });
    const second = await listDeployments({ actor: outsider, filter: { service: api, namespace: dev, limit: 2, before: first.older } });
    expect([first, second].map((page) => page.deployments.map((d) => d.revision))).toEqual([
      [4, 3],
      [2, 1],
    ]);
    expect([first.older, second.older]).toEqual([first.deployments[1]!.id, null]);
    await expect(listDeployments({ actor: outsider, filter: { service: api, before: "not-an-id" } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["before"],
    });
    await expect(listDeployments({ actor: outsider, filter: { service: api, before: "00000000-0000-4000-8000-000000000000" } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["before"],
    });
    expect(await getPrisma().auditEvent.count({ where: { action: "deployment.rollback", resourceId: back.id, outcome: "success" } })).toBe(1);
  }, 90_000);

  it("cancels a rollout in flight: it ends cancelled and the previous successful revision is applied again", async () => {
    const api = await service("cancel");
    const good = await rollOut(await deploy(member, api, dev, "1.0.0"));
    const slow = await deploy(member, api, dev, "crash");
    const following = rolloutDeployment({ deploymentId: slow.id });
    await until(
      () => getDeployment({ actor: member, id: slow.id }),
      (d) => d.status === "progressing",
    );
    const { cancelled, rollback } = await cancelDeployment({ actor: teammate, deploymentId: slow.id });
    expect(cancelled).toMatchObject({ status: "cancelled", cancelledBy: "Tom Teammate" });
    expect(rollback).toMatchObject({ kind: "rollback", rolledBackFromId: good.id, status: "applying" });
    await following;
    expect((await getDeployment({ actor: member, id: slow.id })).status).toBe("cancelled");
    expect((await rollOut(rollback!)).status).toBe("succeeded");
    expect(await liveImage(dev, api)).toContain(":1.0.0");
    await expect(cancelDeployment({ actor: member, deploymentId: slow.id })).rejects.toMatchObject({ code: "conflict" });
  }, 60_000);

  it("cancels a queued deployment without applying anything", async () => {
    const api = await service("cancelq");
    const first = await deploy(member, api, dev, "1.0.0");
    const queued = await deploy(member, api, dev, "1.0.1", { whenBusy: "queue" });
    expect((await cancelDeployment({ actor: member, deploymentId: queued.id })).rollback).toBeNull();
    expect((await rollOut(first)).status).toBe("succeeded");
    expect((await getDeployment({ actor: member, id: queued.id })).status).toBe("cancelled");
  }, 60_000);
});

describe("checked again before applying, after waiting", () => {
  // A namespace of their own: the ones above are full of earlier tests' pods by now.
  let waits: string;
  beforeAll(async () => {
    waits = await readyNamespace(`${slug}-waits`, "aks-dev-weu");
  });

  it("a production deployment approved after its namespace's quota was lowered: failed PolicyBlocked with the policy's message, nothing applied", async () => {
    const late = await readyNamespace(`${slug}-late`, "aks-prod-weu");
    const ns = await getPrisma().namespace.findUniqueOrThrow({ where: { id: late }, include: { cluster: true } });
    const prodKube = new KubeConfig();
    prodKube.loadFromString(await clusterUserKubeconfig(getConfig(), ns.cluster));
    const api = await service("late");
    const created = await deploy(member, api, late, "3.0.0");
    expect(created.status).toBe("awaiting-approval");
    // While it waits, the platform team lowers the quota on the cluster: 2 replicas × 100m no longer fit.
    await applyObject(prodKube, {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "wharf-quota", namespace: ns.name },
      spec: { hard: { "requests.cpu": "150m", "limits.cpu": "4", "requests.memory": "4Gi", "limits.memory": "8Gi", pods: "50" } },
    } as never);
    type Quota = { status?: { hard?: Record<string, string> } };
    await until(
      () => readObject<Quota>(prodKube, { apiVersion: "v1", kind: "ResourceQuota", metadata: { name: "wharf-quota", namespace: ns.name } }),
      (quota) => quota?.status?.hard?.["requests.cpu"] === "150m",
    );
    expect((await approveDeployment({ actor: teammate, deploymentId: created.id })).status).toBe("applying");

    const done = await rollOut(created);
    expect(done).toMatchObject({ status: "failed", reason: "PolicyBlocked" });
    expect(done.message).toContain("checked again after it waited for approval");
    expect(done.message).toContain("At its peak this rollout needs 200m of CPU requests (2 pods: 2 replicas)");
    expect(done.message).toContain("lower the replicas or the CPU request, or ask for a larger quota");
    expect(done.startedAt).toBeNull();
    expect(await readObject(prodKube, { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: api, namespace: ns.name } })).toBeNull();
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { action: "deployment.rollout", resourceId: created.id } });
    expect(audit).toMatchObject({
      outcome: "failure",
      before: { status: "applying" },
      after: { status: "failed", reason: "PolicyBlocked", revision: 1 },
      detail: done.message,
    });
    const notice = await getPrisma().notification.findFirst({
      where: { userId: member.userId, link: `/deployments/${created.id}` },
      orderBy: { createdAt: "desc" },
    });
    expect(notice?.message).toContain("failed: PolicyBlocked");
    // A redelivered job leaves it as it is.
    await rolloutDeployment({ deploymentId: created.id });
    expect((await getDeployment({ actor: member, id: created.id })).status).toBe("failed");
  }, 60_000);

  it("a queued deployment whose service was retired meanwhile: failed PolicyBlocked, and the slot goes to the next one in the queue", async () => {
    const api = await service("retiring");
    const first = await deploy(member, api, waits, "1.0.0");
    const queued = await deploy(member, api, waits, "1.0.1", { whenBusy: "queue" });
    const behind = await deploy(member, api, waits, "1.0.2", { whenBusy: "queue" });
    expect([queued.status, behind.status]).toEqual(["queued", "queued"]);
    await retireService({ actor: member, slug: api });
    // The one already applying when the service was retired finishes as it started.
    expect((await rollOut(first)).status).toBe("succeeded");
    expect((await getDeployment({ actor: member, id: queued.id })).status).toBe("applying");

    const blocked = await rollOut(queued);
    expect(blocked).toMatchObject({ status: "failed", reason: "PolicyBlocked" });
    expect(blocked.message).toContain("waited in the queue");
    expect(blocked.message).toContain(`${api} is retired; restore it in the catalog before deploying it again.`);
    expect(await liveImage(waits, api)).toContain(":1.0.0");
    expect((await getDeployment({ actor: member, id: behind.id })).status).toBe("applying");
    expect((await rollOut(behind)).reason).toBe("PolicyBlocked");
    expect(await liveImage(waits, api)).toContain(":1.0.0");
    expect(
      await getPrisma().auditEvent.count({ where: { action: "deployment.rollout", resourceId: { in: [queued.id, behind.id] }, outcome: "failure" } }),
    ).toBe(2);
  }, 60_000);
  it("a queued deployment whose namespace is being decommissioned meanwhile: failed PolicyBlocked naming the namespace's state, nothing applied", async () => {
    const leaving = await readyNamespace(`${slug}-leaving`, "aks-dev-weu");
    const api = await service("leaving");
    const first = await deploy(member, api, leaving, "1.0.0");
    const queued = await deploy(member, api, leaving, "1.0.1", { whenBusy: "queue" });
    expect((await rollOut(first)).status).toBe("succeeded");
    // An admin approved the team's decommission request (what decide-namespace-request writes) before the queued one's turn.
    const ns = await getPrisma().namespace.update({ where: { id: leaving }, data: { status: "decommissioning" } });
    const blocked = await rollOut(queued);
    expect(blocked).toMatchObject({ status: "failed", reason: "PolicyBlocked" });
    expect(blocked.message).toBe(
      `Not applied: while this deployment waited in the queue, ${ns.name} is decommissioning now; deploy to another namespace of ${team.name}.`,
    );
    expect(blocked.startedAt).toBeNull();
    expect(await liveImage(leaving, api)).toContain(":1.0.0");
  }, 60_000);

  it("one that an earlier attempt already applied (the worker died before recording it) is followed on, not blocked", async () => {
    const api = await service("applied");
    const first = await deploy(member, api, waits, "1.0.0");
    const queued = await deploy(member, api, waits, "1.0.1", { whenBusy: "queue" });
    await retireService({ actor: member, slug: api });
    expect((await rollOut(first)).status).toBe("succeeded");
    const row = await getPrisma().deployment.findUniqueOrThrow({ where: { id: queued.id } });
    const manifest = row.manifest as unknown as { deployment: object; service: object };
    await applyObject(kube, manifest.deployment as never);
    await applyObject(kube, manifest.service as never);
    expect(await rollOut(queued)).toMatchObject({ status: "succeeded", reason: null });
    expect(await liveImage(waits, api)).toContain(":1.0.1");
  }, 60_000);
});

describe("faults", () => {
  it("500s during apply: the attempt fails retryably with a message, the next one succeeds", async () => {
    const api = await service("flaky");
    const created = await deploy(member, api, ops, "1.0.0");
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", errorRate: 1, errorStatus: 500 }] });
    await expect(rolloutDeployment({ deploymentId: created.id, attempt: 1 })).rejects.toBeInstanceOf(RetryableJobError);
    expect((await getDeployment({ actor: member, id: created.id })).message).toContain("will be retried");
    await faults({}, "DELETE");
    await rolloutDeployment({ deploymentId: created.id, attempt: 2 });
    expect((await getDeployment({ actor: member, id: created.id })).status).toBe("succeeded");
  }, 60_000);

  it("429 with Retry-After during apply: retried no sooner than the API server asked", async () => {
    const api = await service("throttled");
    const created = await deploy(member, api, ops, "1.0.0");
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", errorRate: 1, errorStatus: 429, retryAfterSeconds: 9 }] });
    await expect(rolloutDeployment({ deploymentId: created.id, attempt: 1 })).rejects.toMatchObject({ name: "RetryableJobError", retryAfterSeconds: 9 });
    await faults({}, "DELETE");
    await rolloutDeployment({ deploymentId: created.id, attempt: 2 });
    expect((await getDeployment({ actor: member, id: created.id })).status).toBe("succeeded");
  }, 60_000);

  it("the cluster unreachable for 20 s mid-rollout: the page says so, the informer comes back, the rollout ends right", async () => {
    // Watches that end every 100 ms make the outage reach the informer (faults apply to connections opened after them).
    stopRolloutInformers();
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", watchEndAfterMs: 100 }] });
    const informer = rolloutInformer(devCluster);
    expect(await informer.whenSynced(10_000)).toBe(true);
    const api = await service("outage", { replicas: 3 });
    const created = await deploy(member, api, ops, "1.0.0");
    const following = rolloutDeployment({ deploymentId: created.id, attempt: 1 });
    await until(
      () => getDeployment({ actor: member, id: created.id }),
      (d) => d.status === "progressing",
    );
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", unreachable: true }] });
    const outageStarted = Date.now();
    await until(
      () => getDeployment({ actor: member, id: created.id }),
      (d) => d.status !== "progressing" || (d.message ?? "").includes("Wharf cannot watch aks-dev-weu right now"),
      15_000,
    );
    expect((await getDeployment({ actor: member, id: created.id })).status).toBe("progressing");
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 20_000 - (Date.now() - outageStarted))));
    await faults({}, "DELETE");
    await following;
    const done = await getDeployment({ actor: member, id: created.id });
    expect(done).toMatchObject({ status: "succeeded", counts: { updated: 3, available: 3 } });
    expect(await liveImage(ops, api)).toBe(`contoso.azurecr.io/${slug}/outage:1.0.0`);
  }, 90_000);

  it("a worker that lets go mid-rollout: the next attempt follows on to the end", async () => {
    const api = await service("restart");
    const created = await deploy(member, api, ops, "1.0.0");
    const abort = new AbortController();
    const first = rolloutDeployment({ deploymentId: created.id, signal: abort.signal });
    await until(
      () => getDeployment({ actor: member, id: created.id }),
      (d) => d.status === "progressing",
    );
    abort.abort();
    await expect(first).rejects.toBeInstanceOf(RetryableJobError);
    await rolloutDeployment({ deploymentId: created.id, attempt: 2 });
    expect((await getDeployment({ actor: member, id: created.id })).status).toBe("succeeded");
  }, 60_000);

  it("watch streams that end early: the shared informer resumes from its resourceVersion, without listing again", async () => {
    // Faults apply to watches opened after they are set: start this cluster's informer afresh.
    stopRolloutInformers();
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", watchEndAfterMs: 100 }] });
    const informer = rolloutInformer(devCluster);
    expect(await informer.whenSynced(10_000)).toBe(true);
    const api = await service("resume");
    const done = await rollOut(await deploy(member, api, ops, "1.0.0"));
    expect(done).toMatchObject({ status: "succeeded", counts: { updated: 2, available: 2 } });
    await until(
      async () => informer.stats,
      (stats) => Object.values(stats).every((kind) => kind.resumes >= 2),
    );
    for (const kind of ["Deployment", "ReplicaSet", "Pod", "Event"]) expect(informer.stats[kind]).toMatchObject({ lists: 1, relists: 0 });
  }, 60_000);
});
