import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { readyNamespace, signInAs } from "./fixtures";

// The deploy form lists the image's tags from the sandbox's Azure Container Registry; picking one pins its digest.
test("a member picks a tag from the registry on the deploy form: the preview's manifest runs its digest", async ({ page, browser, playwright }) => {
  test.setTimeout(240_000);
  const suffix = Date.now().toString(36);
  const name = `payments-tag${suffix}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const namespaceId = await readyNamespace(page, admin, { team: "payments", cluster: "aks-dev-weu", name, justification: "End-to-end test of the tag picker" });
  await adminContext.close();

  await page.goto("/catalog/card-tokenizer/deploy");
  await page.getByLabel("Namespace").selectOption(namespaceId);
  const tags = page.getByRole("table", { name: "Tags of contoso.azurecr.io/payments/card-tokenizer, newest first" });
  await expect(tags.getByRole("row").nth(1)).toContainText("latest");
  const crash = tags.getByRole("row").filter({ hasText: /^crash/ });
  await expect(crash).toBeVisible();
  const shortDigest = (await crash.getByRole("cell").nth(2).textContent())!.trim();
  expect(shortDigest).toMatch(/^[a-f0-9]{12}$/);
  await page.getByRole("button", { name: "Use crash" }).click();

  const version = page.getByLabel("Image tag or digest");
  await expect(version).toHaveValue(new RegExp(`^sha256:${shortDigest}[a-f0-9]{52}$`));
  await expect(page.getByText("Tag crash, pinned to its digest")).toBeVisible();
  const digest = await version.inputValue();

  // Typing by hand still works: a tag typed replaces the picked digest.
  await version.fill("1.4.2");
  await expect(page.getByText("Tag crash, pinned to its digest")).toHaveCount(0);
  await expect(tags.getByRole("button", { name: "Use crash" })).toHaveText("Use");

  // Picked again and deployed: the manifest pins the digest and keeps the tag; the deployment is labelled with both.
  await page.getByRole("button", { name: "Use crash" }).click();
  await page.getByRole("button", { name: "Preview what will be applied" }).click();
  await page.getByText("The full manifest").click();
  await expect(page.locator("details pre")).toContainText(`contoso.azurecr.io/payments/card-tokenizer:crash@${digest}`);
  await expect(page.locator("details pre")).toContainText("app.kubernetes.io/version: crash");
  await page.screenshot({ path: "test-results/image-tags-preview.png", fullPage: true });
  await page.getByRole("button", { name: `Deploy to ${name}` }).click();
  await page.waitForURL(/\/deployments\/[0-9a-f-]+$/);
  const label = `crash (sha256:${shortDigest})`;
  await expect(page.getByTitle(`contoso.azurecr.io/payments/card-tokenizer:crash@${digest}`)).toHaveText(label);
  await page.goto(`/deployments?service=card-tokenizer&namespace=${namespaceId}`);
  await expect(page.getByRole("row").filter({ hasText: name }).first()).toContainText(label);

  // The registry stops answering between the pick and the deploy (decision 0068): the digest is deployed with the tag as
  // picked, and the preview, the deployment page and the history say the tag was not checked, and why.
  const faultsEndpoint = (JSON.parse(readFileSync(".data/e2e/sandbox/endpoints.json", "utf8")) as { faultsEndpoint: string }).faultsEndpoint;
  const sandbox = await playwright.request.newContext({ ignoreHTTPSErrors: true });
  try {
    await page.goto("/catalog/card-tokenizer/deploy");
    await page.getByLabel("Namespace").selectOption(namespaceId);
    await page.getByRole("button", { name: "Use 1.4.2" }).click();
    // An action beside the field, bordered as one (decision 0063's outline), not a ghost that reads as text.
    await expect(page.getByRole("button", { name: "Deploy the digest without the tag 1.4.2" })).toHaveClass(/\bborder\b/);
    await sandbox.put(faultsEndpoint, { data: { rules: [{ api: "registry", errorRate: 1, errorStatus: 503, retryAfterSeconds: 0 }] } });
    await page.getByLabel("If a rollout of this service is still running there").selectOption("queue");
    await page.getByRole("button", { name: "Preview what will be applied" }).click();
    const unchecked = "tag 1.4.2 not checked against the registry: it did not answer";
    await expect(page.getByRole("status").filter({ hasText: unchecked })).toBeVisible();
    await page.getByRole("button", { name: `Deploy to ${name}` }).click();
    await page.waitForURL(/\/deployments\/[0-9a-f-]+$/);
    await expect(page.getByTestId("tag-check")).toHaveText(unchecked);
    await page.goto(`/deployments?service=card-tokenizer&namespace=${namespaceId}`);
    await expect(page.getByRole("row").filter({ hasText: "1.4.2 (sha256:" }).first()).toContainText(unchecked);
  } finally {
    await sandbox.delete(faultsEndpoint);
    await sandbox.dispose();
  }
});
