// Integration: GET /api/v1/deployments/{id}/logs against the sandbox's
// aks-dev-weu (its kubelet writes the logs) and the test PostgreSQL, through
// the route handler as a signed-in browser calls it.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { createSession } from "@/lib/auth/session";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { requestNamespace } from "@/lib/namespaces/request-namespace";
import { decideNamespaceRequest } from "@/lib/namespaces/decide-namespace-request";
import { provisionNamespace } from "@/lib/namespaces/provision-namespace";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { stopBoss } from "@/lib/jobs/boss";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { GET } from "@/app/api/v1/deployments/[id]/logs/route";
import { createDeployment } from "./create-deployment";
import { getDeployment } from "./list-deployments";
import { rolloutDeployment } from "./rollout-deployment";
import { stopRolloutInformers } from "./rollout-informers";
import type { DeploymentLog } from "./read-deployment-log";
import type { DeploymentView } from "./deployment-view";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const suffix = randomBytes(3).toString("hex");
const group = `0c9d7e8f-7777-4c6a-9f00-${randomBytes(6).toString("hex")}`;
const tokens: Record<string, string> = {};
let crashing: DeploymentView;
let running: DeploymentView;
let elsewhere: DeploymentView;

async function person(key: string, isAdmin: boolean, teams: UserActor["teams"]): Promise<UserActor> {
  const row = await getPrisma().user.create({
    data: {
      entraObjectId: randomBytes(8).toString("hex"),
      tenantId: "t",
      name: key,
      email: `${key}-${suffix}@example.com`,
      groupIds: teams.length ? [group] : [],
      appRoles: isAdmin ? [getConfig().identity.adminAppRole] : [],
      lastSignInAt: new Date(),
    },
  });
  tokens[key] = (await createSession(row.id, getConfig().session)).token;
  return { kind: "user", userId: row.id, name: key, email: row.email, isAdmin, teams };
}

async function namespaceFor(member: UserActor, admin: UserActor, teamId: string, name: string): Promise<string> {
  const cluster = await getPrisma().cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });
  const request = await requestNamespace({
    actor: member,
    input: { teamId, clusterId: cluster.id, name, quota: suggestedQuota, containerDefaults: suggestedDefaults, justification: "Pod log tests" },
  });
  const { namespaceId } = await decideNamespaceRequest({ actor: admin, requestId: request.id, input: { decision: "approve" } });
  await provisionNamespace({ namespaceId: namespaceId!, attempt: 1 });
  return namespaceId!;
}

async function service(name: string, teamId: string): Promise<string> {
  const slug = `${name}-${suffix}`;
  await getPrisma().service.create({
    data: {
      slug,
      displayName: slug,
      ownerTeamId: teamId,
      tier: "standard",
      lifecycle: "production",
      tags: [],
      searchText: slug,
      deploySpec: {
        imageRepository: `contoso.azurecr.io/logs/${name}`,
        port: 8080,
        replicas: 1,
        cpuRequest: "100m",
        cpuLimit: "200m",
        memoryRequest: "64Mi",
        memoryLimit: "128Mi",
        readinessPath: "/ready",
        livenessPath: "/healthz",
      },
    },
  });
  return slug;
}

async function logOf(who: string, deployment: DeploymentView, query: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const response = await callRoute(GET as unknown as RouteHandler, {
    method: "GET",
    url: `/api/v1/deployments/${deployment.id}/logs?${query}`,
    params: { id: deployment.id },
    sessionToken: tokens[who],
  });
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after") };
}

const podOf = (deployment: DeploymentView) => deployment.pods.find((pod) => pod.updated)!.name;

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug: `lg${suffix}`, name: `Logs ${suffix}`, entraGroupIds: [group], costCenter: "CC-1" } });
  const other = await prisma.team.create({ data: { slug: `lo${suffix}`, name: `Other ${suffix}`, entraGroupIds: [], costCenter: "CC-2" } });
  const member = await person("member", false, [{ id: team.id, slug: team.slug, name: team.name }]);
  await person("viewer", false, []);
  const admin = await person("admin", true, []);
  const otherAdmin = await person("other-admin", true, []);
  await refreshClusters({ actor: { kind: "system", name: "test" } });
  await prisma.cluster.updateMany({ where: { name: "aks-dev-weu" }, data: { environment: "dev" } });
  const [mine, theirs] = await Promise.all([
    namespaceFor(member, admin, team.id, `lg${suffix}-dev`),
    namespaceFor(otherAdmin, admin, other.id, `lo${suffix}-dev`),
  ]);
  const [api, web, foreign] = await Promise.all([service("api", team.id), service("web", team.id), service("foreign", other.id)]);
  const started = await Promise.all([
    createDeployment({ actor: member, input: { service: api, namespaceId: mine, tag: "crash" } }),
    createDeployment({ actor: member, input: { service: web, namespaceId: mine, tag: "1.0.0" } }),
    createDeployment({ actor: admin, input: { service: foreign, namespaceId: theirs, tag: "1.0.0" } }),
  ]);
  // The crash loop ends its rollout as failed after a few restarts, with its pods still there.
  await Promise.all(started.map((deployment) => rolloutDeployment({ deploymentId: deployment.id, timing: {} })));
  [crashing, running, elsewhere] = (await Promise.all(started.map((deployment) => getDeployment({ actor: admin, id: deployment.id })))) as [
    DeploymentView,
    DeploymentView,
    DeploymentView,
  ];
}, 120_000);

afterEach(async () => {
  await faults({}, "DELETE");
});

afterAll(async () => {
  stopRolloutInformers();
  await stopBoss();
});

describe("GET /api/v1/deployments/{id}/logs", () => {
  it("gives the owning team the crashed instance's log of a crash-looping pod, with the line that explains it", async () => {
    expect(crashing.status).toBe("failed");
    const { status, body } = await logOf("member", crashing, `pod=${podOf(crashing)}`);
    expect(status).toBe(200);
    const log = body as DeploymentLog;
    expect(log).toMatchObject({ pod: podOf(crashing), previous: true, unavailable: null });
    expect(log.restarts).toBeGreaterThan(0);
    expect(log.lines).toContainEqual(expect.stringMatching(/^Error: connect ECONNREFUSED 10\.0\.\d+\.\d+:5432$/));

    const tail = (await logOf("admin", crashing, `pod=${podOf(crashing)}&tailLines=2`)).body as DeploymentLog;
    expect(tail.lines).toEqual(log.lines.slice(-2));
    expect(tail.more).toBe(true);
  });

  it("reads the current instance of a healthy pod, and says why there is no previous one", async () => {
    const current = (await logOf("member", running, `pod=${podOf(running)}`)).body as DeploymentLog;
    expect(current).toMatchObject({ previous: false, restarts: 0, unavailable: null });
    expect(current.lines.join("\n")).toContain("server listening on http://0.0.0.0:8080");
    const previous = (await logOf("member", running, `pod=${podOf(running)}&previous=true`)).body as DeploymentLog;
    expect(previous).toMatchObject({ lines: [], unavailable: `previous terminated container "web-${suffix}" in pod "${podOf(running)}" not found` });
  });

  it("refuses a pod of another namespace or of another service with 404, whoever asks", async () => {
    for (const pod of [podOf(elsewhere), podOf(running), "kube-proxy-abcde"]) {
      const { status, body } = await logOf("admin", crashing, `pod=${pod}`);
      expect(status, pod).toBe(404);
      expect(JSON.stringify(body)).toContain("has no pod named");
    }
  });

  it("shows logs to the owning team and admins only, and checks the query", async () => {
    const refused = await logOf("viewer", crashing, `pod=${podOf(crashing)}`);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).toContain("members of the owning team");
    expect((await logOf("member", crashing, "pod=Not_A_Pod")).status).toBe(400);
    expect((await logOf("member", crashing, `pod=${podOf(crashing)}&tailLines=5000`)).status).toBe(400);
  });

  it("answers 503 with Retry-After, not 500, when the cluster does not answer", async () => {
    await faults({ rules: [{ api: "kubernetes", cluster: "aks-dev-weu", unreachable: true }] });
    const { status, body, retryAfter } = await logOf("member", crashing, `pod=${podOf(crashing)}&tailLines=7`);
    expect(status).toBe(503);
    expect(retryAfter).toBe("10");
    expect(JSON.stringify(body)).toContain("The cluster aks-dev-weu did not answer");
  }, 30_000);
});
