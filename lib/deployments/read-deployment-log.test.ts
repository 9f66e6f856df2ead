// Integration: GET /api/v1/deployments/{id}/logs against the sandbox's
// aks-dev-weu (its kubelet writes the logs) and the test PostgreSQL, through
// the route handler as a signed-in browser calls it.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UserActor } from "@/lib/auth/permissions";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { createPerson, createServiceRow, createTeam, discoverSandboxClusters, readyNamespace, signIn, smallDeploySpec } from "@/lib/test-support/team-fixture";
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

async function logOf(who: string, deployment: DeploymentView, query: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const response = await callRoute(GET as unknown as RouteHandler, {
    method: "GET",
    url: `/api/v1/deployments/${deployment.id}/logs?${query}`,
    params: { id: deployment.id },
    sessionToken: tokens[who],
  });
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after") };
}

/** A person who signs in: their session's token under `key`. */
async function person(key: string, options: Parameters<typeof createPerson>[1] = {}): Promise<UserActor> {
  const actor = await createPerson(key, { group, ...options });
  tokens[key] = await signIn(actor);
  return actor;
}

const podOf = (deployment: DeploymentView) => deployment.pods.find((pod) => pod.updated)!.name;

beforeAll(async () => {
  const team = await createTeam(`lg${suffix}`, `Logs ${suffix}`, { group, costCenter: "CC-1" });
  const other = await createTeam(`lo${suffix}`, `Other ${suffix}`, { costCenter: "CC-2" });
  const member = await person("member", { teams: [team] });
  await person("viewer");
  const admin = await person("admin", { isAdmin: true });
  const otherAdmin = await person("other-admin", { isAdmin: true });
  await discoverSandboxClusters({ "aks-dev-weu": "dev" });
  const justification = "Pod log tests";
  const [mine, theirs] = await Promise.all([
    readyNamespace({ requester: member, approver: admin, teamId: team.id, name: `lg${suffix}-dev`, justification }),
    readyNamespace({ requester: otherAdmin, approver: admin, teamId: other.id, name: `lo${suffix}-dev`, justification }),
  ]);
  const service = (name: string, teamId: string) => createServiceRow(`${name}-${suffix}`, teamId, smallDeploySpec(`contoso.azurecr.io/logs/${name}`));
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
