import { existsSync, readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { kubectl, readyNamespace, rollBackFromHistory, signInAs } from "./fixtures";

// Setup goes through the API as the people would; the deploy itself through the pages.
async function deployFromPage(page: Page, namespaceId: string, version: string): Promise<void> {
  await page.goto("/catalog/card-tokenizer/deploy");
  await page.getByLabel("Namespace").selectOption(namespaceId);
  await page.getByLabel("Image tag or digest").fill(version);
  await page.getByRole("button", { name: "Preview what will be applied" }).click();
  await expect(page.getByText("Passes the policy")).toBeVisible();
}

// Three rollouts, each allowed a minute: the default 60 s for the whole test was less than the waits inside it.
test("a member deploys a good tag, then tag bad, sees ImagePullBackOff with its events, and rolls back in one click", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const suffix = Date.now().toString(36);
  const namespace = `payments-dep${suffix}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const namespaceId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-dev-weu",
    name: namespace,
    justification: "End-to-end test of deployments",
  });
  await adminContext.close();

  await deployFromPage(page, namespaceId, "1.4.2");
  await expect(page.getByText("nothing: this is the first deployment here")).toBeVisible();
  await page.getByRole("button", { name: `Deploy to ${namespace}` }).click();
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  // The page follows the rollout from what the stream pushes: with its own refetches refused, it still sees it succeed.
  const refetch = /\/api\/v1\/deployments\/[0-9a-f-]{36}$/;
  await page.route(refetch, (route) => (route.request().method() === "GET" ? route.abort() : route.fallback()));
  await expect(page.locator("[data-status=succeeded]")).toBeVisible({ timeout: 60_000 });
  await page.unroute(refetch);

  // Someone changes the cluster by hand: the next preview says what differs from what Wharf applied, and will be put back.
  if (existsSync("/usr/bin/kubectl")) {
    kubectl(["-n", namespace, "set", "image", "deployment/card-tokenizer", "card-tokenizer=contoso.azurecr.io/payments/card-tokenizer:hotfix"]);
    kubectl(["-n", namespace, "scale", "deployment/card-tokenizer", "--replicas=5"]);
  }
  await deployFromPage(page, namespaceId, "bad");
  await expect(page.getByText(/Changes against revision 1/)).toBeVisible();
  if (existsSync("/usr/bin/kubectl")) {
    const changed = page.getByRole("status", { name: "Changed on the cluster outside Wharf" });
    await expect(changed.getByRole("row", { name: /replicas 5 3/ })).toBeVisible();
    await expect(changed.getByRole("row", { name: /image of card-tokenizer .*:hotfix .*:1\.4\.2/ })).toBeVisible();
  }
  await page.getByRole("button", { name: `Deploy to ${namespace}` }).click();
  await expect(page.locator("[data-status=failed]")).toContainText("ImagePullBackOff", { timeout: 60_000 });
  await expect(page.getByRole("heading", { name: "Events", exact: true })).toBeVisible();
  await expect(page.getByText(/Failed to pull image|Back-off pulling image/).first()).toBeVisible();
  await page.screenshot({ path: "test-results/deployment-imagepullbackoff.png", fullPage: true });

  await rollBackFromHistory(page, "card-tokenizer", namespace, 1);
  await expect(page.locator("[data-status=succeeded]")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/Rollback by Priya Shah/)).toBeVisible();
});

test("a production deployment waits for a second person; the requester cannot approve it", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const namespace = `payments-prd${Date.now().toString(36)}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const namespaceId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-prod-weu",
    name: namespace,
    justification: "End-to-end test of deployments",
  });
  await adminContext.close();

  await deployFromPage(page, namespaceId, "1.4.2");
  await expect(page.getByText(/must approve before Wharf applies it/)).toBeVisible();
  await page.getByRole("button", { name: "Ask for approval" }).click();
  await expect(page.locator("[data-status=awaiting-approval]")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve and deploy" })).toHaveCount(0);
  const url = page.url();

  const teammateContext = await browser.newContext();
  try {
    const teammate = await teammateContext.newPage();
    await signInAs(teammate, "both", new URL(url).pathname);
    await teammate.getByRole("button", { name: "Approve and deploy" }).click();
    await expect(teammate.locator("[data-status=succeeded]")).toBeVisible({ timeout: 60_000 });
    await expect(teammate.getByText(/approved by Mei Lin/)).toBeVisible();
  } finally {
    await teammateContext.close();
  }
});

test("an unknown deployment is a 404 page", async ({ page }) => {
  await signInAs(page, "payments");
  expect((await page.goto("/deployments/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);
});

test("with the cluster unreachable, the preview says so and works again once it answers", async ({ page, browser, playwright }) => {
  const namespace = `payments-unr${Date.now().toString(36)}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const namespaceId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-dev-weu",
    name: namespace,
    justification: "End-to-end test of deployments",
  });
  await adminContext.close();
  const faultsEndpoint = (JSON.parse(readFileSync(".data/e2e/sandbox/endpoints.json", "utf8")) as { faultsEndpoint: string }).faultsEndpoint;
  const sandbox = await playwright.request.newContext({ ignoreHTTPSErrors: true });
  try {
    await sandbox.put(faultsEndpoint, { data: { rules: [{ api: "kubernetes", cluster: "aks-dev-weu", unreachable: true }] } });
    await page.goto("/catalog/card-tokenizer/deploy");
    await page.getByLabel("Namespace").selectOption(namespaceId);
    await page.getByLabel("Image tag or digest").fill("1.4.2");
    await page.getByRole("button", { name: "Preview what will be applied" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "Wharf could not read" })).toContainText(
      `Wharf could not read ${namespace}'s quota and limits on aks-dev-weu`,
    );
    await expect(page.getByRole("alert").filter({ hasText: "Wharf could not read" })).toContainText("Try again in a minute");
    await page.screenshot({ path: "test-results/deploy-preview-cluster-unreachable.png", fullPage: true });
    // The typed choice is still there; once the cluster answers, the same click works.
    await expect(page.getByLabel("Image tag or digest")).toHaveValue("1.4.2");
    await sandbox.delete(faultsEndpoint);
    await page.getByRole("button", { name: "Preview what will be applied" }).click();
    await expect(page.getByText("Passes the policy")).toBeVisible();
  } finally {
    await sandbox.delete(faultsEndpoint);
    await sandbox.dispose();
  }
});
