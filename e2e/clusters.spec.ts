import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

// The e2e server's sandbox (playwright.config.ts gives it .data/e2e).
const endpoints = () => JSON.parse(readFileSync(".data/e2e/sandbox/endpoints.json", "utf8")) as { faultsEndpoint: string };

test("an admin discovers clusters, sees an unreachable one with its own error, and sets an environment", async ({ page, playwright }) => {
  const sandbox = await playwright.request.newContext({ ignoreHTTPSErrors: true });
  try {
    await signInAs(page, "admin", "/admin/clusters");
    await page.getByRole("button", { name: "Discover clusters now" }).click();
    await expect(page.getByRole("status")).toHaveText("Found 3 clusters, 3 reachable.");
    const rows = page.getByRole("row");
    await expect(rows.filter({ hasText: "aks-dev-weu" })).toContainText("Reachable");

    await sandbox.put(endpoints().faultsEndpoint, { data: { rules: [{ api: "kubernetes", cluster: "aks-lab-neu", unreachable: true }] } });
    await page.getByRole("button", { name: "Discover clusters now" }).click();
    await expect(page.getByRole("status")).toHaveText("Found 3 clusters, 2 reachable.");
    await expect(rows.filter({ hasText: "aks-lab-neu" })).toContainText("Unreachable");
    await expect(rows.filter({ hasText: "aks-lab-neu" })).toContainText("the API server dropped the connection");
    await expect(rows.filter({ hasText: "aks-prod-weu" })).toContainText("Reachable");

    const prod = rows.filter({ hasText: "aks-prod-weu" });
    await prod.getByLabel("Environment of aks-prod-weu", { exact: true }).selectOption("prod");
    await prod.getByRole("button", { name: "Save the environment of aks-prod-weu" }).click();
    await page.reload();
    await expect(page.getByLabel("Environment of aks-prod-weu", { exact: true })).toHaveValue("prod");
  } finally {
    await sandbox.delete(endpoints().faultsEndpoint);
    await sandbox.dispose();
  }
});

test("a team member cannot open the clusters page", async ({ page }) => {
  await signInAs(page, "payments");
  expect((await page.goto("/admin/clusters"))?.status()).toBe(403);
});

test("a team member sees the clusters, read-only", async ({ page }) => {
  await signInAs(page, "payments", "/clusters");
  await expect(page.getByRole("heading", { name: "Clusters" })).toBeVisible();
  await expect(page.getByRole("row").filter({ hasText: "aks-dev-weu" })).toContainText("dev");
  await expect(page.getByRole("button", { name: "Discover clusters now" })).toHaveCount(0);
});
