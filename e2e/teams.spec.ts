import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

test("an admin creates a team, sees a field error for a bad slug, and the change is audited", async ({ page }) => {
  await signInAs(page, "admin", "/admin/teams");
  const form = page.getByRole("form", { name: "Create a team" });

  await form.getByLabel("Slug").fill("Bad--Slug");
  await form.getByLabel("Name").fill("Checkout");
  await form.getByLabel("Entra group object IDs").fill("3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f04");
  await form.getByRole("button", { name: "Create team" }).click();
  await expect(form.getByRole("alert")).toContainText("lowercase letters");
  await expect(form.getByLabel("Name")).toHaveValue("Checkout");
  await expect(page.getByRole("region", { name: "Team Checkout" })).toHaveCount(0);

  await form.getByLabel("Slug").fill("checkout");
  await form.getByRole("button", { name: "Create team" }).click();
  await expect(form.getByRole("status")).toHaveText("Team Checkout created.");
  await expect(page.getByRole("region", { name: "Team Checkout" })).toBeVisible();

  await page.goto("/admin/audit?action=team.create&actor=Alex");
  await expect(page.getByRole("row").filter({ hasText: "team.create" }).first()).toContainText("success");
  // The moment itself beside "x min ago" (issue 17 item 8).
  await expect(page.getByRole("row").filter({ hasText: "team.create" }).first()).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
});

test("a team member cannot create teams through the API", async ({ page }) => {
  await signInAs(page, "payments");
  const response = await page.request.post("/api/v1/teams", {
    data: { slug: "sneaky", name: "Sneaky", entraGroupIds: ["3c0f5a7e-1b2d-4c3e-8f4a-5b6c7d8e9f78"] },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.message).toContain(
    "Only a platform admin can create teams. Ask a platform admin (the Teams page lists them: /teams#platform-admins)",
  );
});
