import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

const slug = `e2e-ledger-${Date.now().toString(36)}`;

test.describe.serial("the catalog", () => {
  test("a team member registers a service, with a field error first and nothing saved", async ({ page }) => {
    await signInAs(page, "payments", "/catalog/new");
    const form = page.getByRole("form", { name: "Register a service" });
    await form.getByLabel("Slug").fill(slug);
    await form.getByLabel("Display name").fill("E2E Ledger");
    await form.getByLabel("Owner team").selectOption("payments");
    await form.getByLabel("Language").fill("Kotlin");
    await form.getByLabel("Description").fill("Double-entry ledger registered by the end-to-end test.");
    await form.getByLabel("Tags").fill("ledger, e2e");
    await form.getByLabel("One per line, kind:target").fill("service:payment-gateway\nsql:e2e-ledger-db");
    await form.getByLabel("Image repository").fill("contoso.azurecr.io/payments/e2e-ledger");
    await form.getByLabel("Container port").fill("8080");
    await form.getByLabel("Replicas").fill("2");
    await form.getByLabel("CPU request").fill("250m");
    await form.getByLabel("CPU limit").fill("500m");
    await form.getByLabel("Memory request").fill("1Gi");
    await form.getByLabel("Memory limit").fill("512Mi");
    await form.getByLabel("Readiness probe path").fill("/ready");
    await form.getByLabel("Liveness probe path").fill("/live");
    await form.getByRole("button", { name: "Register service" }).click();

    await expect(form.getByRole("alert")).toHaveText(/memory limit \(512Mi\) is below the memory request \(1Gi\)/);
    await expect(form.getByLabel("Memory limit")).toHaveAttribute("aria-invalid", "true");
    await expect(form.getByLabel("Display name")).toHaveValue("E2E Ledger");
    expect((await page.request.get(`/api/v1/services/${slug}`)).status()).toBe(404);

    await form.getByLabel("Memory limit").fill("2Gi");
    await form.getByRole("button", { name: "Register service" }).click();
    await expect(page.getByRole("status")).toHaveText("Service registered.");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("E2E Ledger");
    await expect(page.getByRole("list", { name: "Dependencies" })).toContainText("Payment Gateway");
  });

  test("anyone finds it by search, and it shows up as a dependent of what it uses", async ({ page }) => {
    await signInAs(page, "viewer", "/catalog");
    // A viewer in no team can neither register nor import a service, so neither is offered (issue 17 item 8).
    await expect(page.getByRole("link", { name: "Import catalog-info.yaml" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Register a service" })).toHaveCount(0);
    await page.getByRole("searchbox", { name: "Search" }).fill("double-entry e2e");
    await page.getByRole("button", { name: "Apply" }).click();
    await expect(page).toHaveURL(/q=double-entry\+e2e/);
    await expect(page.getByRole("link", { name: "E2E Ledger" })).toBeVisible();
    await expect(page.getByText("1 service · page 1 of 1")).toBeVisible();
    await page.goto("/catalog/payment-gateway");
    await expect(page.getByRole("list", { name: "Dependents" })).toContainText("E2E Ledger");
  });

  test("the owning team edits it", async ({ page }) => {
    await signInAs(page, "both", `/catalog/${slug}`);
    await page.getByRole("link", { name: "Edit" }).click();
    const form = page.getByRole("form", { name: "Edit service" });
    await form.getByLabel("Display name").fill("E2E Ledger v2");
    await form.getByRole("button", { name: "Save changes" }).click();
    await expect(page.getByRole("status")).toHaveText("Changes saved.");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("E2E Ledger v2");
  });

  test("a member of another team cannot edit it, in the UI or the API", async ({ page }) => {
    await signInAs(page, "orders", `/catalog/${slug}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("E2E Ledger v2");
    await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
    expect((await page.goto(`/catalog/${slug}/edit`))?.status()).toBe(403);
    const current = await (await page.request.get(`/api/v1/services/${slug}`)).json();
    const response = await page.request.put(`/api/v1/services/${slug}`, {
      data: { ...current, ownerTeam: "payments", displayName: "Hijacked" },
      headers: { origin: new URL(page.url()).origin },
    });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.message).toContain("Only members of the owning team");
  });
});

test("importing a catalog-info.yaml with one bad document: the preview shows the error, the good ones import", async ({ page }) => {
  const suffix = Date.now().toString(36);
  const component = (name: string) => `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ${name}
  description: Imported by the end-to-end test
spec:
  type: service
  lifecycle: experimental
  owner: group:orders
`;
  const file = [component(`e2e-imported-a-${suffix}`), component(`Bad_Name_${suffix}`), component(`e2e-imported-b-${suffix}`)].join("---\n");
  await signInAs(page, "orders", "/catalog/import");
  const form = page.getByRole("form", { name: "Import catalog-info.yaml" });
  await form.getByLabel(/Or paste catalog-info.yaml/).fill(file);
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByText("2 to create, 0 to update, 0 unchanged, 1 that cannot be imported.", { exact: false })).toBeVisible();
  const badRow = form.getByRole("row").filter({ hasText: `Bad_Name_${suffix}` });
  await expect(badRow).toContainText("Has errors");
  await expect(badRow).toContainText("Line 14 (metadata.name)");
  expect((await page.request.get(`/api/v1/services/e2e-imported-a-${suffix}`)).status()).toBe(404);

  await form.getByRole("button", { name: "Import the selected documents" }).click();
  await expect(page.getByRole("status")).toContainText("Imported: 2 created, 0 updated.");
  expect((await page.request.get(`/api/v1/services/e2e-imported-b-${suffix}`)).status()).toBe(200);
});

test("an upload over 5 MB is refused before anything is read", async ({ page }) => {
  await signInAs(page, "orders", "/catalog/import");
  const form = page.getByRole("form", { name: "Import catalog-info.yaml" });
  await form.getByLabel("Upload a file").setInputFiles({ name: "huge.yaml", mimeType: "text/yaml", buffer: Buffer.alloc(20 * 1024 * 1024, "a") });
  await form.getByRole("button", { name: "Preview" }).click();
  await expect(form.getByRole("alert")).toContainText("huge.yaml is 20.0 MB");
  const api = await page.request.post("/api/v1/catalog/import/preview", {
    data: Buffer.alloc(20 * 1024 * 1024, "a"),
    headers: { origin: new URL(page.url()).origin, "content-type": "application/yaml" },
  });
  expect(api.status()).toBe(413);
});
