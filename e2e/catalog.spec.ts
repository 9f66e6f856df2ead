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
    const response = await page.request.put(`/api/v1/services/${slug}`, { data: { ...current, ownerTeam: "payments", displayName: "Hijacked" }, headers: { origin: new URL(page.url()).origin } });
    expect(response.status()).toBe(403);
    expect((await response.json()).error.message).toContain("Only members of the owning team");
  });
});
