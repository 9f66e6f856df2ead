// Integration: pipelines deploy through the real route handlers with tokens
// from the sandbox's token endpoint (or signed with its key where the
// endpoint would never issue such a token), against the test PostgreSQL and
// the sandbox's AKS clusters.
import { generateKeyPairSync, randomBytes, randomUUID } from "node:crypto";
import { exportJWK } from "jose";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listDeploymentsRoute, POST as createDeploymentRoute } from "@/app/api/v1/deployments/route";
import { GET as getDeploymentRoute } from "@/app/api/v1/deployments/[id]/route";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import {
  createPerson,
  createServiceRow,
  createTeam,
  discoverSandboxClusters,
  readyNamespace,
  smallDeploySpec,
  type TeamRef,
} from "@/lib/test-support/team-fixture";
import { approveDeployment } from "@/lib/deployments/approve-deployment";
import { rolloutDeployment } from "@/lib/deployments/rollout-deployment";
import { stopRolloutInformers } from "@/lib/deployments/rollout-informers";
import { stopBoss } from "@/lib/jobs/boss";
import { mintAppOnlyAccessToken, wharfDeployerRole } from "@/sandbox/pipelines";
import { sandboxTenantId } from "@/sandbox/personas";
import { endpointPipeline, pipelineAccessToken, sandboxSigningKey } from "@/sandbox/test-support/pipeline-client";
import { readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { addPipelineIdentity } from "./add-pipeline-identity";
import { listPipelineIdentities } from "./list-pipeline-identities";
import { revokePipelineIdentity } from "./revoke-pipeline-identity";

const endpoints = readEndpoints();
const payments = endpointPipeline(endpoints, "payments");
const orders = endpointPipeline(endpoints, "orders");
const noRole = endpointPipeline(endpoints, "no-role");
const suffix = randomBytes(3).toString("hex");
const slug = `pl${suffix}`;
const teamGroup = `0c9d7e8f-4444-4c6a-9f00-${randomBytes(6).toString("hex")}`;

let admin: UserActor;
let otherAdmin: UserActor;
let member: UserActor;
let team: TeamRef;
let otherTeam: TeamRef;
let dev: string;
let prod: string;
let otherDev: string;
let api: string;
let otherApi: string;

function post(body: unknown, headers: Record<string, string>) {
  const request = new NextRequest(`${getConfig().publicUrl}/api/v1/deployments`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return createDeploymentRoute(request, { params: Promise.resolve({}) } as never);
}

function get(id: string, headers: Record<string, string>) {
  return getDeploymentRoute(new NextRequest(`${getConfig().publicUrl}/api/v1/deployments/${id}`, { headers }), { params: Promise.resolve({ id }) });
}

function history(query: string, headers: Record<string, string>) {
  return listDeploymentsRoute(new NextRequest(`${getConfig().publicUrl}/api/v1/deployments?${query}`, { headers }), { params: Promise.resolve({}) } as never);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function errorOf(response: Response): Promise<{ status: number; code: string; message: string; challenge: string | null }> {
  const body = (await response.json()) as { error: { code: string; message: string } };
  return { status: response.status, ...body.error, challenge: response.headers.get("www-authenticate") };
}

function signed(change: Partial<Parameters<typeof mintAppOnlyAccessToken>[0]> = {}) {
  return mintAppOnlyAccessToken({
    signingKey: sandboxSigningKey(),
    issuer: endpoints.authority,
    tenantId: sandboxTenantId,
    audience: endpoints.clientId,
    clientId: payments.clientId,
    objectId: payments.objectId,
    roles: [wharfDeployerRole],
    ...change,
  });
}

beforeAll(async () => {
  team = await createTeam(slug, `Pipes ${suffix}`, { group: teamGroup });
  otherTeam = await createTeam(`plo${suffix}`, `Other pipes ${suffix}`);
  admin = await createPerson("Ada Admin", { isAdmin: true });
  otherAdmin = await createPerson("Oscar Admin", { isAdmin: true });
  member = await createPerson("Mia Member", { teams: [team], group: teamGroup });
  await discoverSandboxClusters({ "aks-dev-weu": "dev", "aks-prod-weu": "prod" });
  // Requested by someone other than the approving admin, as the namespace policy wants.
  const ready = (requester: UserActor, teamId: string, name: string, cluster: string) =>
    readyNamespace({ requester, approver: admin, teamId, name, cluster, justification: "Pipeline deployments integration tests" });
  [dev, prod, otherDev] = await Promise.all([
    ready(member, team.id, `${slug}-dev`, "aks-dev-weu"),
    ready(member, team.id, `${slug}-prod`, "aks-prod-weu"),
    ready(otherAdmin, otherTeam.id, `plo${suffix}-dev`, "aks-dev-weu"),
  ]);
  api = await createServiceRow(`api-${suffix}`, team.id, smallDeploySpec(`contoso.azurecr.io/${slug}/api`));
  otherApi = await createServiceRow(`other-${suffix}`, otherTeam.id, smallDeploySpec(`contoso.azurecr.io/${slug}/other`));
  await addPipelineIdentity({
    actor: admin,
    input: { clientId: payments.clientId, objectId: payments.objectId, displayName: "Payments pipeline", teamIds: [team.id] },
  });
  await addPipelineIdentity({ actor: admin, input: { clientId: noRole.clientId, displayName: "No-role pipeline", teamIds: [team.id] } });
});

afterAll(async () => {
  stopRolloutInformers();
  await stopBoss();
});

describe("registering pipeline identities", () => {
  it("is for platform admins only, validated, audited, and revocable once", async () => {
    await expect(addPipelineIdentity({ actor: member, input: { clientId: orders.clientId, displayName: "x", teamIds: [team.id] } })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(listPipelineIdentities({ actor: member })).rejects.toMatchObject({ code: "forbidden" });
    await expect(addPipelineIdentity({ actor: admin, input: { clientId: "not-a-guid", displayName: "x", teamIds: [team.id] } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["clientId"],
    });
    await expect(addPipelineIdentity({ actor: admin, input: { clientId: orders.clientId, displayName: "x", teamIds: [] } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["teamIds"],
    });
    await expect(addPipelineIdentity({ actor: admin, input: { clientId: orders.clientId, displayName: "x", teamIds: [randomUUID()] } })).rejects.toMatchObject({
      code: "invalid_input",
      path: ["teamIds"],
    });
    await expect(
      addPipelineIdentity({ actor: admin, input: { clientId: payments.clientId.toUpperCase(), displayName: "again", teamIds: [team.id] } }),
    ).rejects.toMatchObject({ code: "conflict" });

    const added = await addPipelineIdentity({
      actor: admin,
      input: { clientId: orders.clientId, displayName: "Orders pipeline", teamIds: [team.id, team.id] },
    });
    expect(added).toMatchObject({ clientId: orders.clientId, teams: [team], createdByName: "Ada Admin", revokedAt: null });
    const revoked = await revokePipelineIdentity({ actor: admin, id: added.id });
    expect(revoked).toMatchObject({ revokedByName: "Ada Admin", revokedAt: expect.any(String) });
    await expect(revokePipelineIdentity({ actor: admin, id: added.id })).rejects.toMatchObject({ code: "conflict" });
    await expect(revokePipelineIdentity({ actor: member, id: added.id })).rejects.toMatchObject({ code: "forbidden" });

    const listed = await listPipelineIdentities({ actor: admin });
    expect(listed.at(-1)).toMatchObject({ clientId: orders.clientId, revokedAt: expect.any(String) });
    const audit = await getPrisma().auditEvent.findMany({ where: { resourceId: added.id }, orderBy: { id: "asc" } });
    expect(audit.map((event) => [event.action, event.outcome, event.actorName])).toEqual([
      ["pipeline-identity.add", "success", "Ada Admin"],
      ["pipeline-identity.revoke", "success", "Ada Admin"],
      ["pipeline-identity.revoke", "denied", "Mia Member"],
    ]);
  });
});

describe("POST /api/v1/deployments, GET /api/v1/deployments/{id} and the history with a pipeline's bearer token", () => {
  it("deploys with a good token, without an Origin header, and reports the rollout until it succeeds", async () => {
    const token = await pipelineAccessToken(endpoints, "payments");
    const created = await post({ service: api, namespaceId: dev, tag: "1.0.0" }, bearer(token));
    expect(created.status).toBe(201);
    const deployment = (await created.json()) as { id: string; status: string };
    expect(deployment).toMatchObject({ status: "applying", requestedBy: { id: null, name: "Payments pipeline (pipeline)" } });
    const row = await getPrisma().deployment.findUniqueOrThrow({ where: { id: deployment.id } });
    expect(row.requestedById).toBeNull();
    expect(
      await getPrisma().auditEvent.count({
        where: { resourceId: deployment.id, action: "deployment.create", actorName: "Payments pipeline (pipeline)", actorId: null },
      }),
    ).toBe(1);

    await rolloutDeployment({ deploymentId: deployment.id, timing: {} });
    const polled = await get(deployment.id, bearer(token));
    expect(polled.status).toBe(200);
    expect(await polled.json()).toMatchObject({ id: deployment.id, status: "succeeded" });
    const identity = await getPrisma().pipelineIdentity.findUniqueOrThrow({ where: { clientId: payments.clientId } });
    expect(identity.lastUsedAt).not.toBeNull();
  });

  it("asks a person to approve a production deployment; the pipeline cannot approve, a team member can", async () => {
    const created = await post({ service: api, namespaceId: prod, tag: "1.0.0" }, bearer(await pipelineAccessToken(endpoints, "payments")));
    const deployment = (await created.json()) as { id: string; status: string };
    expect(deployment.status).toBe("awaiting-approval");
    const pipelineActor = {
      kind: "pipeline" as const,
      pipelineIdentityId: "x",
      clientId: payments.clientId,
      name: "Payments pipeline (pipeline)",
      isAdmin: false as const,
      teams: [team],
    };
    await expect(approveDeployment({ actor: pipelineActor, deploymentId: deployment.id })).rejects.toMatchObject({ code: "forbidden" });
    await expect(approveDeployment({ actor: member, deploymentId: deployment.id })).resolves.toMatchObject({
      status: "applying",
      approvedBy: { name: "Mia Member" },
    });
  });

  it("names the namespace by cluster and namespace, as a pipeline knows it, instead of Wharf's id", async () => {
    const token = await pipelineAccessToken(endpoints, "payments");
    const created = await post({ service: api, cluster: "aks-dev-weu", namespace: `${slug}-dev`, tag: "1.0.2", whenBusy: "queue" }, bearer(token));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      namespace: { id: dev, name: `${slug}-dev`, cluster: { name: "aks-dev-weu" } },
      image: expect.stringContaining(":1.0.2"),
    });
    const prodByName = await post({ service: api, cluster: "aks-prod-weu", namespace: `${slug}-prod`, tag: "1.0.2", whenBusy: "queue" }, bearer(token));
    expect(await prodByName.json()).toMatchObject({ namespace: { id: prod }, status: "awaiting-approval" });
  });

  it("refuses both forms, neither, or half a pair with 400 naming the field", async () => {
    const token = await pipelineAccessToken(endpoints, "payments");
    const cases: [Record<string, unknown>, string][] = [
      [{ namespaceId: dev, cluster: "aks-dev-weu", namespace: `${slug}-dev` }, "namespaceId"],
      [{}, "namespaceId"],
      [{ cluster: "aks-dev-weu" }, "namespace"],
      [{ namespace: `${slug}-dev` }, "cluster"],
    ];
    for (const [where, field] of cases) {
      const response = await post({ service: api, tag: "1.0.3", ...where }, bearer(token));
      expect(response.status, JSON.stringify(where)).toBe(400);
      expect((await response.json()) as unknown, JSON.stringify(where)).toMatchObject({ error: { code: "invalid_input", path: [field] } });
    }
  });

  it("answers a pair that is none of the service's team's namespaces with 400, the same whether another team has it or nobody does", async () => {
    const token = await pipelineAccessToken(endpoints, "payments");
    const otherTeams = await post({ service: api, cluster: "aks-dev-weu", namespace: `plo${suffix}-dev`, tag: "1.0.3" }, bearer(token));
    const nobodys = await post({ service: api, cluster: "aks-dev-weu", namespace: `nope${suffix}-dev`, tag: "1.0.3" }, bearer(token));
    const [a, b] = [
      (await otherTeams.json()) as { error: { code: string; message: string; path: string[] } },
      (await nobodys.json()) as { error: { code: string; message: string; path: string[] } },
    ];
    expect([otherTeams.status, nobodys.status]).toEqual([400, 400]);
    expect(a.error).toMatchObject({ code: "invalid_input", path: ["namespace"] });
    expect(a.error.message.replace(`plo${suffix}-dev`, "X")).toBe(b.error.message.replace(`nope${suffix}-dev`, "X"));
    // It says what to give instead: the team's own namespaces, never another team's.
    expect(a.error.message).toContain(`has ${slug}-dev on aks-dev-weu, ${slug}-prod on aks-prod-weu.`);
    expect(a.error.message).not.toContain(otherTeam.name);
    const wrongCluster = await post({ service: api, cluster: "aks-nowhere", namespace: `${slug}-dev`, tag: "1.0.3" }, bearer(token));
    expect(await errorOf(wrongCluster)).toMatchObject({
      status: 400,
      path: ["cluster"],
      message: expect.stringContaining(`no namespace ${slug}-dev on a cluster named aks-nowhere`),
    });
    expect(await getPrisma().deployment.count({ where: { service: { slug: api }, imageTag: "1.0.3" } })).toBe(0);
  });

  it("refuses a pair for a service of a team the pipeline is not mapped to with 403 whether or not the namespace exists, audited", async () => {
    const token = await pipelineAccessToken(endpoints, "payments");
    for (const namespace of [`plo${suffix}-dev`, `nope${suffix}-dev`]) {
      const response = await post({ service: otherApi, cluster: "aks-dev-weu", namespace, tag: "1.0.0" }, bearer(token));
      expect(await errorOf(response), namespace).toMatchObject({
        status: 403,
        code: "forbidden",
        message: expect.stringContaining("mapped it to in Admin → Pipelines"),
      });
    }
    const denied = await getPrisma().auditEvent.findMany({
      where: { action: "deployment.create", outcome: "denied", actorName: "Payments pipeline (pipeline)", resourceType: "service", resourceId: otherApi },
    });
    expect(denied.map((event) => event.detail).sort()).toEqual([
      `${otherApi} to nope${suffix}-dev on aks-dev-weu`,
      `${otherApi} to plo${suffix}-dev on aks-dev-weu`,
    ]);
  });

  it("refuses a pipeline deploying for a team it is not mapped to (403)", async () => {
    const response = await post({ service: otherApi, namespaceId: otherDev, tag: "1.0.0" }, bearer(await pipelineAccessToken(endpoints, "payments")));
    expect(await errorOf(response)).toMatchObject({
      status: 403,
      code: "forbidden",
      message: expect.stringContaining("mapped it to in Admin → Pipelines"),
      challenge: 'Bearer error="insufficient_scope"',
    });
    expect(
      await getPrisma().auditEvent.count({
        where: { action: "deployment.create", outcome: "denied", actorName: "Payments pipeline (pipeline)", resourceId: otherDev },
      }),
    ).toBe(1);
  });

  it("refuses a token without the Wharf.Deployer role (403)", async () => {
    const response = await post({ service: api, namespaceId: dev, tag: "1.0.1" }, bearer(await pipelineAccessToken(endpoints, "no-role")));
    expect(await errorOf(response)).toMatchObject({ status: 403, message: expect.stringContaining("has no Wharf.Deployer app role") });
  });

  it("refuses a revoked identity and one never registered (403), audited", async () => {
    const revoked = await post({ service: api, namespaceId: dev, tag: "1.0.1" }, bearer(await pipelineAccessToken(endpoints, "orders")));
    expect(await errorOf(revoked)).toMatchObject({ status: 403, message: expect.stringMatching(/Orders pipeline .* was revoked in Wharf on .* by Ada Admin/) });
    const stranger = randomUUID();
    const unregistered = await post({ service: api, namespaceId: dev, tag: "1.0.1" }, bearer(await signed({ clientId: stranger })));
    expect(await errorOf(unregistered)).toMatchObject({ status: 403, message: expect.stringContaining(`${stranger} is not registered in Wharf`) });
    const refusals = await getPrisma().auditEvent.findMany({
      where: { action: "pipeline.authenticate", outcome: "denied", resourceType: "pipeline-identity" },
    });
    expect(refusals.map((event) => event.detail)).toEqual(expect.arrayContaining(["revoked", "not registered"]));
  });

  it("refuses a token whose service principal is not the registered one", async () => {
    const response = await post({ service: api, namespaceId: dev, tag: "1.0.1" }, bearer(await signed({ objectId: randomUUID() })));
    expect(await errorOf(response)).toMatchObject({ status: 403, message: expect.stringContaining("is not the one registered") });
  });

  it("answers 401 with a bearer challenge for expired, unsigned, foreign-key, wrong-audience and other-tenant tokens", async () => {
    const now = Math.floor(Date.now() / 1000);
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const foreignKey = { ...(await exportJWK(privateKey)), kid: randomUUID() };
    const good = await signed();
    const [, payload] = good.split(".");
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;
    const otherTenant = "0b7e4c1d-9a8f-4e2b-8c3d-7f6e5d4c3b2a";
    const cases: [string, string, RegExp][] = [
      ["expired", await signed({ issuedAt: now - 7200, lifetimeSeconds: 3600 }), /expired at/],
      ["unsigned", unsigned, /signed with none/],
      ["signed with a key the sandbox does not publish", await signed({ signingKey: foreignKey }), /does not publish/],
      ["for another audience", await signed({ audience: "https://management.azure.com/" }), /another audience/],
      [
        "from another tenant",
        await signed({ tenantId: otherTenant, issuer: endpoints.authority.replace(sandboxTenantId, otherTenant) }),
        /another Entra tenant/,
      ],
    ];
    for (const [label, token, message] of cases) {
      const error = await errorOf(await post({ service: api, namespaceId: dev, tag: "1.0.1" }, bearer(token)));
      expect(error, label).toMatchObject({
        status: 401,
        code: "unauthenticated",
        message: expect.stringMatching(message),
        challenge: 'Bearer error="invalid_token"',
      });
      expect((await errorOf(await get(randomUUID(), bearer(token)))).status, label).toBe(401);
    }
    expect(await getPrisma().deployment.count({ where: { service: { slug: api }, imageTag: "1.0.1" } })).toBe(0);
  });

  it("lets a pipeline read any deployment by id, as anyone signed in may, and says 404 for none", async () => {
    const response = await get(randomUUID(), bearer(await pipelineAccessToken(endpoints, "payments")));
    expect(await errorOf(response)).toMatchObject({ status: 404 });
  });

  it("lets a pipeline read the history by cluster and namespace names, e.g. for the last succeeded revision, with 400 for a bad filter and 401 for a bad token", async () => {
    const token = await pipelineAccessToken(endpoints, "payments");
    const response = await history(`service=${api}&cluster=aks-dev-weu&namespace=${slug}-dev&status=succeeded&limit=1`, bearer(token));
    expect(response.status).toBe(200);
    const rows = (await response.json()) as { status: string; namespace: { id: string }; image: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "succeeded", namespace: { id: dev }, image: expect.stringContaining(":1.0.0") });
    // Older pages through the Link header, as GitHub's API pages.
    const newest = await history(`service=${api}&limit=1`, bearer(token));
    const link = newest.headers.get("link");
    expect(link).toMatch(new RegExp(`^</api/v1/deployments\\?service=${api}&limit=1&before=[0-9a-f-]{36}>; rel="next"$`));
    const older = await history(link!.slice(link!.indexOf("?") + 1, link!.indexOf(">")), bearer(token));
    const [[first], [second]] = [(await newest.json()) as { id: string; createdAt: string }[], (await older.json()) as { id: string; createdAt: string }[]];
    expect(second!.id).not.toBe(first!.id);
    expect(Date.parse(second!.createdAt)).toBeLessThanOrEqual(Date.parse(first!.createdAt));
    expect(await errorOf(await history("limit=500", bearer(token)))).toMatchObject({ status: 400, message: "limit can be at most 200." });
    expect(
      (await errorOf(await history("limit=1", bearer(await signed({ issuedAt: Math.floor(Date.now() / 1000) - 7200, lifetimeSeconds: 3600 }))))).status,
    ).toBe(401);
  });

  it("still checks Origin on a cookie (non-bearer) POST", async () => {
    const error = await errorOf(await post({ service: api, namespaceId: dev, tag: "1.0.1" }, { origin: "https://evil.example" }));
    expect(error).toMatchObject({ status: 403, message: expect.stringContaining("must come from Wharf itself"), challenge: null });
  });
});
