import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

test("an admin registers a pipeline identity for Payments, sees a field error first, and revokes it", async ({ page }) => {
  await signInAs(page, "admin", "/admin/pipelines");
  await expect(page.getByRole("heading", { name: "Pipelines" })).toBeVisible();
  const form = page.getByRole("form", { name: "Add a pipeline identity" });
  const name = `E2E pipeline ${Date.now().toString(36)}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Application (client) ID").fill("not-a-guid");
  await form.getByLabel("Payments").check();
  await form.getByRole("button", { name: "Add pipeline identity" }).click();
  await expect(form.getByLabel("Application (client) ID")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Name")).toHaveValue(name);

  await form.getByLabel("Application (client) ID").fill(crypto.randomUUID());
  await form.getByRole("button", { name: "Add pipeline identity" }).click();
  await expect(form.getByRole("status")).toBeVisible();
  const row = page.getByRole("row", { name: `Pipeline ${name}` });
  await expect(row).toContainText("Payments");
  // Asked in an accessible dialog: Cancel changes nothing, Revoke revokes.
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  const dialog = page.getByRole("alertdialog", { name: `Revoke ${name}?` });
  await expect(dialog).toContainText("Its tokens are refused from the next request on.");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("row", { name: `Pipeline ${name}` })).not.toContainText(/revoked/i);
  await row.getByRole("button", { name: `Revoke ${name}` }).click();
  await page
    .getByRole("alertdialog", { name: `Revoke ${name}?` })
    .getByRole("button", { name: "Revoke" })
    .click();
  await expect(page.getByRole("row", { name: `Pipeline ${name}` })).toContainText(/revoked/i);
  await expect(page.getByRole("button", { name: `Revoke ${name}` })).toHaveCount(0);
});

test("a team member cannot open the pipelines page", async ({ page }) => {
  await signInAs(page, "payments");
  expect((await page.goto("/admin/pipelines"))?.status()).toBe(403);
});
