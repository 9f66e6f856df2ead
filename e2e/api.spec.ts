import { expect, test } from "@playwright/test";
import { smallDeploySpec } from "../lib/test-support/deploy-spec";
import { signInAs } from "./fixtures";

test("the services API answers bad input with a typed 4xx error and writes nothing", async ({ page }) => {
  await signInAs(page, "payments");
  const origin = new URL(page.url()).origin;
  const post = (data: unknown) => page.request.post("/api/v1/services", { data: data as object, headers: { origin } });
  const slug = `api-${Date.now().toString(36)}`;
  const valid = { slug, displayName: "API Test", ownerTeam: "payments", tier: "standard", lifecycle: "experimental" };

  const notJson = await page.request.post("/api/v1/services", { data: "{not json", headers: { origin, "content-type": "application/json" } });
  expect(notJson.status()).toBe(400);
  expect((await notJson.json()).error.code).toBe("invalid_input");

  const badSlug = await post({ ...valid, slug: "Has-Capitals" });
  expect(badSlug.status()).toBe(400);
  expect((await badSlug.json()).error).toMatchObject({ code: "invalid_input", path: ["slug"] });

  const registry = await post({
    ...valid,
    deploySpec: smallDeploySpec("docker.io/library/nginx", { port: 80, readinessPath: "/", livenessPath: "/" }),
  });
  expect(registry.status()).toBe(400);
  expect((await registry.json()).error.path).toEqual(["deploySpec", "imageRepository"]);

  const otherTeam = await post({ ...valid, ownerTeam: "orders" });
  expect(otherTeam.status()).toBe(403);

  expect((await page.request.get(`/api/v1/services/${slug}`)).status()).toBe(404);
  expect((await post(valid)).status()).toBe(201);
  const duplicate = await post(valid);
  expect(duplicate.status()).toBe(409);
  expect((await duplicate.json()).error.path).toEqual(["slug"]);

  const badQuery = await page.request.get("/api/v1/services?tier=gold");
  expect(badQuery.status()).toBe(400);
  expect((await badQuery.json()).error.message).toContain("tier must be one of");

  const noOrigin = await page.request.delete(`/api/v1/services/${slug}`, { headers: { origin: "https://evil.example" } });
  expect(noOrigin.status()).toBe(403);
  expect((await page.request.delete(`/api/v1/services/${slug}`, { headers: { origin } })).status()).toBe(200);
  expect((await post(valid)).status()).toBe(409);
});

test("the OpenAPI document and the export are served", async ({ page }) => {
  await signInAs(page, "viewer");
  const doc = await (await page.request.get("/api/v1/openapi.json")).json();
  expect(doc.openapi).toBe("3.1.0");
  const yaml = await page.request.get("/api/v1/services/payment-gateway/catalog-info.yaml");
  expect(yaml.status()).toBe(200);
  expect(yaml.headers()["content-type"]).toContain("application/yaml");
  expect(await yaml.text()).toContain("name: payment-gateway");
  await page.goto("/api-docs");
  await expect(page.getByRole("cell", { name: "/api/v1/services/{slug}" }).first()).toBeVisible();
});

test("a signed-in member deploys through the API by cluster and namespace names, and lists the history by them", async ({ page, browser }) => {
  await signInAs(page, "payments");
  const origin = new URL(page.url()).origin;
  const name = `payments-api${Date.now().toString(36)}`;
  const { teams } = (await (await page.request.get("/api/v1/teams")).json()) as { teams: { id: string; slug: string }[] };
  const { clusters } = (await (await page.request.get("/api/v1/clusters")).json()) as { clusters: { id: string; name: string }[] };
  const requested = await page.request.post("/api/v1/namespace-requests", {
    headers: { origin },
    data: {
      teamId: teams.find((team) => team.slug === "payments")!.id,
      clusterId: clusters.find((cluster) => cluster.name === "aks-dev-weu")!.id,
      name,
      quota: { requestsCpu: "4", limitsCpu: "8", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: "50", storage: "10Gi", loadBalancers: "0" },
      containerDefaults: { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" },
      justification: "End-to-end test of deploying by names",
    },
  });
  expect(requested.status(), await requested.text()).toBe(201);
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const decided = await admin.request.post(`/api/v1/namespace-requests/${((await requested.json()) as { id: string }).id}/decision`, {
    headers: { origin: new URL(admin.url()).origin },
    data: { decision: "approve" },
  });
  const { namespaceId } = (await decided.json()) as { namespaceId: string };
  await adminContext.close();
  await expect
    .poll(async () => ((await (await page.request.get(`/api/v1/namespaces/${namespaceId}`)).json()) as { namespace: { status: string } }).namespace.status, {
      timeout: 20_000,
    })
    .toBe("ready");

  const post = (data: object) => page.request.post("/api/v1/deployments", { data, headers: { origin } });
  const created = await post({ service: "card-tokenizer", cluster: "aks-dev-weu", namespace: name, tag: "1.4.2" });
  expect(created.status(), await created.text()).toBe(201);
  const deployment = (await created.json()) as { id: string; namespace: { id: string; name: string } };
  expect(deployment.namespace).toMatchObject({ id: namespaceId, name });

  const both = await post({ service: "card-tokenizer", namespaceId, cluster: "aks-dev-weu", namespace: name, tag: "1.4.3" });
  expect(both.status()).toBe(400);
  expect((await both.json()).error).toMatchObject({ code: "invalid_input", path: ["namespaceId"] });
  const unknown = await post({ service: "card-tokenizer", cluster: "aks-dev-weu", namespace: `${name}x`, tag: "1.4.3" });
  expect(unknown.status()).toBe(400);
  expect((await unknown.json()).error).toMatchObject({
    code: "invalid_input",
    path: ["namespace"],
    message: expect.stringContaining(`${name} on aks-dev-weu`),
  });

  const history = await page.request.get(`/api/v1/deployments?service=card-tokenizer&cluster=aks-dev-weu&namespace=${name}`);
  expect(history.status()).toBe(200);
  expect(((await history.json()) as { id: string }[]).map((row) => row.id)).toEqual([deployment.id]);
});
