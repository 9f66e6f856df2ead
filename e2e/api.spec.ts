import { expect, test } from "@playwright/test";
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

  const registry = await post({ ...valid, deploySpec: { imageRepository: "docker.io/library/nginx", port: 80, replicas: 1, cpuRequest: "100m", cpuLimit: "200m", memoryRequest: "64Mi", memoryLimit: "128Mi", readinessPath: "/", livenessPath: "/" } });
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
