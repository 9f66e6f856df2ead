// Integration: GET /api/v1/services/{slug}/image-tags against the sandbox's
// Azure Container Registry (through ARM's listing and the real registry
// client) and the test PostgreSQL, through the route handler as a signed-in
// browser calls it.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { getPrisma } from "@/lib/db/client";
import { getConfig } from "@/lib/config";
import type { UserActor } from "@/lib/auth/permissions";
import { createSession } from "@/lib/auth/session";
import { callRoute, type RouteHandler } from "@/lib/api/route-harness";
import { refreshClusters } from "@/lib/clusters/refresh-clusters";
import { suggestedDefaults, suggestedQuota } from "@/lib/namespaces/namespace-input";
import { httpsJson, readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { imageId } from "@/sandbox/kubernetes/controller/images";
import { GET } from "@/app/api/v1/services/[slug]/image-tags/route";
import { forgetRegistries, type ImageTags } from "./image-tags";

const endpoints = readEndpoints();
const faults = (body: unknown, method = "PUT") => httpsJson(endpoints.faultsEndpoint as string, { ca: readFileSync(endpoints.caFile, "utf8"), method, body });
const suffix = randomBytes(3).toString("hex");
const group = `0c9d7e8f-8888-4c6a-9f00-${randomBytes(6).toString("hex")}`;
const tokens: Record<string, string> = {};
let namespace: { id: string; name: string };

async function person(key: string, isAdmin: boolean, teams: UserActor["teams"]): Promise<void> {
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
}

async function service(name: string, teamId: string, imageRepository: string): Promise<string> {
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
        imageRepository,
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

beforeAll(async () => {
  const prisma = getPrisma();
  const team = await prisma.team.create({ data: { slug: `it${suffix}`, name: `Tags ${suffix}`, entraGroupIds: [group], costCenter: "CC-1" } });
  await person("member", false, [{ id: team.id, slug: team.slug, name: team.name }]);
  await person("viewer", false, []);
  await refreshClusters({ actor: { kind: "system", name: "test" } });
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
  slugs.api = await service("api", team.id, "contoso.azurecr.io/tags/api");
  slugs.mcr = await service("mcr", team.id, "mcr.microsoft.com/dotnet/aspnet");
  slugs.missing = await service("gone", team.id, "contoso.azurecr.io/tags/missing-api");
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
