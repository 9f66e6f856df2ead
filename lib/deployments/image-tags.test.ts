// Integration: GET /api/v1/services/{slug}/image-tags against the sandbox's
// Azure Container Registry (through ARM's listing and the real registry
// client) and the test PostgreSQL, through the route handler as a signed-in
// browser calls it.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { createPerson, createServiceRow, createTeam, discoverSandboxClusters, signIn, smallDeploySpec } from "@/lib/test-support/team-fixture";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { imageId } from "@/sandbox/kubernetes/controller/images";
import { GET } from "@/app/api/v1/services/[slug]/image-tags/route";
import { POST as createRoute } from "@/app/api/v1/deployments/route";
import { POST as previewRoute } from "@/app/api/v1/deployments/preview/route";
import { GET as deploymentRoute } from "@/app/api/v1/deployments/[id]/route";
import { GET as historyRoute } from "@/app/api/v1/deployments/route";
import type { DeploymentView } from "./deployment-view";
import type { DeploymentPreview } from "./preview-deployment";
import { forgetRegistries, type ImageTags } from "./image-tags";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const suffix = randomBytes(3).toString("hex");
const group = `0c9d7e8f-8888-4c6a-9f00-${randomBytes(6).toString("hex")}`;
const tokens: Record<string, string> = {};
let namespace: { id: string; name: string };

async function tagsOf(who: string, slug: string): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
  const response = await callRoute(GET as unknown as RouteHandler, {
    method: "GET",
    url: `/api/v1/services/${slug}/image-tags`,
    params: { slug },
    sessionToken: tokens[who],
  });
  return { status: response.status, body: await response.json(), retryAfter: response.headers.get("retry-after") };
}

const slugs: Record<string, string> = {};

async function post(handler: unknown, url: string, who: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await callRoute(handler as RouteHandler, { method: "POST", url, sessionToken: tokens[who], body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

/** The digest the sandbox registry (and kubelet) gives a tag of tags/api. */
const digestOfTag = (tag: string) => imageId(`contoso.azurecr.io/tags/api:${tag}`).split("@")[1]!;
/** GET /api/v1/deployments/{id}, as the deployment page and a pipeline read it. */
async function readDeployment(id: string): Promise<DeploymentView> {
  const response = await callRoute(deploymentRoute as unknown as RouteHandler, {
    method: "GET",
    url: `/api/v1/deployments/${id}`,
    params: { id },
    sessionToken: tokens.member,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as DeploymentView;
}

/** GET /api/v1/deployments?service=, the history. */
async function history(slug: string): Promise<DeploymentView[]> {
  const response = await callRoute(historyRoute as unknown as RouteHandler, {
    method: "GET",
    url: `/api/v1/deployments?service=${slug}`,
    sessionToken: tokens.member,
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as DeploymentView[] | { deployments: DeploymentView[] };
  return Array.isArray(body) ? body : body.deployments;
}

const errorMessage = (body: unknown) => (body as { error: { message: string } }).error.message;

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await createTeam(`it${suffix}`, `Tags ${suffix}`, { group, costCenter: "CC-1" });
  tokens.member = await signIn(await createPerson("member", { teams: [team], group }));
  tokens.viewer = await signIn(await createPerson("viewer"));
  await discoverSandboxClusters();
  const cluster = await prisma.cluster.findFirstOrThrow({ where: { name: "aks-dev-weu" } });
  namespace = await prisma.namespace.create({
    data: {
      clusterId: cluster.id,
      teamId: team.id,
      name: `it${suffix}-dev`,
      activeName: `it${suffix}-dev`,
      environment: "dev",
      costCenter: "CC-1",
      quota: suggestedQuota,
      containerDefaults: suggestedDefaults,
      status: "ready",
    },
    select: { id: true, name: true },
  });
  slugs.api = await createServiceRow(`api-${suffix}`, team.id, smallDeploySpec("contoso.azurecr.io/tags/api"));
  slugs.mcr = await createServiceRow(`mcr-${suffix}`, team.id, smallDeploySpec("mcr.microsoft.com/dotnet/aspnet"));
  slugs.missing = await createServiceRow(`gone-${suffix}`, team.id, smallDeploySpec("contoso.azurecr.io/tags/missing-api"));
  const apiId = (await prisma.service.findUniqueOrThrow({ where: { slug: slugs.api } })).id;
  // What the health cycle records when 1.4.2 runs there: the digest the kubelet reports for it.
  const running = imageId("contoso.azurecr.io/tags/api:1.4.2");
  await prisma.serviceHealth.create({
    data: {
      serviceId: apiId,
      namespaceId: namespace.id,
      environment: "dev",
      state: "healthy",
      stateSince: new Date(),
      evaluatedAt: new Date(),
      kubernetes: { observedAt: new Date().toISOString(), image: "contoso.azurecr.io/tags/api:1.4.2", tag: "1.4.2", digest: running.split("@")[1]! },
    },
  });
}, 120_000);

afterEach(async () => {
  await faults({}, "DELETE");
  forgetRegistries();
});

afterAll(async () => {
  await faults({}, "DELETE");
});

describe("GET /api/v1/services/{slug}/image-tags", () => {
  it("lists the repository's tags from the registry, newest first, with the special ones and what runs now marked", async () => {
    const { status, body } = await tagsOf("member", slugs.api!);
    expect(status).toBe(200);
    const tags = body as ImageTags;
    expect(tags.available).toBe(true);
    expect(tags.tags[0]!.name).toBe("latest");
    const times = tags.tags.map((tag) => Date.parse(tag.lastUpdatedOn));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(tags.tags.map((tag) => tag.name)).toEqual(expect.arrayContaining(["crash", "bad", "errors", "slow", "1.4.2"]));
    const crash = tags.tags.find((tag) => tag.name === "crash")!;
    expect(`contoso.azurecr.io/tags/api@${crash.digest}`).toBe(imageId("contoso.azurecr.io/tags/api:crash"));
    expect(tags.tags.find((tag) => tag.name === "1.4.2")!.runningIn).toEqual([
      { namespaceId: namespace.id, namespace: namespace.name, environment: "dev", cluster: "aks-dev-weu" },
    ]);
    expect(crash.runningIn).toEqual([]);
  });

  it("says tags are not available for an image not on an Azure Container Registry", async () => {
    const { status, body } = await tagsOf("member", slugs.mcr!);
    expect(status).toBe(200);
    expect(body).toMatchObject({ available: false, tags: [] });
    expect((body as ImageTags).unavailable).toContain("mcr.microsoft.com is not an Azure Container Registry in Wharf's subscriptions");
  });

  it("names the repository the registry does not know", async () => {
    const { status, body } = await tagsOf("member", slugs.missing!);
    expect(status).toBe(404);
    expect((body as { error: { message: string } }).error.message).toContain("contoso.azurecr.io has no repository tags/missing-api");
  });

  it("answers 503 with Retry-After when the registry does not answer", async () => {
    await faults({ rules: [{ api: "registry", errorRate: 1, errorStatus: 503 }] });
    const { status, body, retryAfter } = await tagsOf("member", slugs.api!);
    expect(status).toBe(503);
    expect((body as { error: { message: string } }).error.message).toMatch(/contoso\.azurecr\.io did not answer .*Try again in a minute, or type the tag/);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it("refuses someone who may not deploy the service", async () => {
    const { status } = await tagsOf("viewer", slugs.api!);
    expect(status).toBe(403);
  });
});

describe("deploying a digest with the tag it was picked as (decision 0064)", () => {
  const request = (tag: string, digest: string) => ({ service: slugs.api, namespaceId: namespace.id, tag, digest, whenBusy: "queue" });

  it("pins the digest, labels the tag, and records both when the registry maps the tag to that digest", async () => {
    const digest = digestOfTag("1.4.2");
    const preview = await post(previewRoute, "/api/v1/deployments/preview", "member", request("1.4.2", digest));
    expect(preview.status).toBe(200);
    const rendered = preview.body as DeploymentPreview;
    expect(rendered.tagCheck).toBe("checked");
    expect(rendered.yaml).toContain(`image: contoso.azurecr.io/tags/api:1.4.2@${digest}`);
    expect(rendered.yaml).toContain("app.kubernetes.io/version: 1.4.2");
    expect(rendered.yaml).toContain(`Deploy 1.4.2 (${digest.slice(0, 19)}) by member (Wharf)`);

    const created = await post(createRoute, "/api/v1/deployments", "member", request("1.4.2", digest));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ imageTag: "1.4.2", imageDigest: digest, image: `contoso.azurecr.io/tags/api:1.4.2@${digest}` });
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { resourceId: (created.body as DeploymentView).id, action: "deployment.create" } });
    expect(audit.after).toMatchObject({ tag: "1.4.2", tagChecked: true, tagCheck: "checked" });
    const checked = { state: "checked", reason: null, text: "tag 1.4.2 checked against the registry: it pointed at this digest" };
    expect((created.body as DeploymentView).tagCheck).toEqual(checked);
    expect((await readDeployment((created.body as DeploymentView).id)).tagCheck).toEqual(checked);
  });

  it("refuses with 409 when the tag points at another digest now, saying what to do", async () => {
    const { status, body } = await post(previewRoute, "/api/v1/deployments/preview", "member", request("crash", digestOfTag("latest")));
    expect(status).toBe(409);
    expect(errorMessage(body)).toMatch(/^Tag crash has moved: contoso\.azurecr\.io\/tags\/api:crash now points at sha256:[a-f0-9]{12}…, not at sha256:/);
    expect(errorMessage(body)).toContain("Pick crash from the registry again to deploy what it points at now, or deploy the digest alone (without the tag)");
    const created = await post(createRoute, "/api/v1/deployments", "member", request("crash", digestOfTag("latest")));
    expect(created.status).toBe(409);
    expect(errorMessage(created.body)).toContain("Tag crash has moved");
  });

  it("refuses with 409 a tag the registry no longer has", async () => {
    const { status, body } = await post(previewRoute, "/api/v1/deployments/preview", "member", request("no-such-tag", digestOfTag("1.4.2")));
    expect(status).toBe(409);
    expect(errorMessage(body)).toContain("contoso.azurecr.io/tags/api has no tag no-such-tag any more");
  });

  it("accepts the digest with the tag as picked when the registry does not answer", async () => {
    await faults({ rules: [{ api: "registry", errorRate: 1, errorStatus: 503 }] });
    const digest = digestOfTag("slow");
    const created = await post(createRoute, "/api/v1/deployments", "member", request("slow", digest));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ imageTag: "slow", imageDigest: digest });
    const audit = await getPrisma().auditEvent.findFirstOrThrow({ where: { resourceId: (created.body as DeploymentView).id, action: "deployment.create" } });
    expect(audit.after).toMatchObject({ tag: "slow", tagChecked: false, tagCheck: "registry-did-not-answer" });
    // Kept on the deployment (decision 0068): its page, the history and the API say the tag was taken as picked, and why.
    const unchecked = { state: "unchecked", reason: "registry-did-not-answer", text: "tag slow not checked against the registry: it did not answer" };
    const id = (created.body as DeploymentView).id;
    expect((created.body as DeploymentView).tagCheck).toEqual(unchecked);
    expect((await readDeployment(id)).tagCheck).toEqual(unchecked);
    expect((await history(slugs.api!)).find((row) => row.id === id)?.tagCheck).toEqual(unchecked);

    const preview = await post(previewRoute, "/api/v1/deployments/preview", "member", request("slow", digest));
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ tagCheck: "unchecked", tagCheckText: "tag slow not checked against the registry: it did not answer" });
  });

  it("says why a tag was not checked when the image is on no registry Wharf reads, and nothing for a digest or a tag alone", async () => {
    const digest = digestOfTag("1.4.2");
    const elsewhere = await post(previewRoute, "/api/v1/deployments/preview", "member", { ...request("8.0", digest), service: slugs.mcr });
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.body).toMatchObject({
      tagCheck: "unchecked",
      tagCheckText: "tag 8.0 not checked against the registry: the image is not on an Azure Container Registry Wharf reads",
    });
    const digestAlone = await post(createRoute, "/api/v1/deployments", "member", { service: slugs.api, namespaceId: namespace.id, digest, whenBusy: "queue" });
    expect(digestAlone.status).toBe(201);
    expect((digestAlone.body as DeploymentView).tagCheck).toBeNull();
    const tagAlone = await post(createRoute, "/api/v1/deployments", "member", {
      service: slugs.api,
      namespaceId: namespace.id,
      tag: "1.4.2",
      whenBusy: "queue",
    });
    expect(tagAlone.status).toBe(201);
    expect((await readDeployment((tagAlone.body as DeploymentView).id)).tagCheck).toBeNull();
  });

  it("says why when Azure Resource Manager does not list the registries", async () => {
    await faults({ rules: [{ api: "arm", errorRate: 1, errorStatus: 503, retryAfterSeconds: 0 }] });
    const preview = await post(previewRoute, "/api/v1/deployments/preview", "member", request("1.4.2", digestOfTag("1.4.2")));
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({
      tagCheck: "unchecked",
      tagCheckText: "tag 1.4.2 not checked against the registry: Azure Resource Manager did not list the registries",
    });
  });

  it("refuses a malformed digest beside a tag with 400", async () => {
    const { status, body } = await post(createRoute, "/api/v1/deployments", "member", request("1.4.2", "sha256:1234"));
    expect(status).toBe(400);
    expect(errorMessage(body)).toContain("A sha256 digest has exactly 64 hex characters");
  });
});
