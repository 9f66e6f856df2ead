import { expect, test, type Page } from "@playwright/test";
import { readyNamespace, signInAs } from "./fixtures";

/** On a 390 px phone the page does not scroll sideways; names what sticks out when it does. */
async function fitsPhone(page: Page, screenshot: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `test-results/${screenshot}`, fullPage: true });
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll("body *")]
      // What sticks out of the page, not what scrolls inside its own box (the navigation's row, a wide table's card).
      .filter((element) => element.getBoundingClientRect().right > width + 1 && !element.closest("nav, .overflow-auto, .overflow-x-auto"))
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}`.slice(0, 120));
    return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, wide };
  });
  expect(overflow.scrollWidth, `wider than the phone: ${overflow.wide.join(" | ")}`).toBeLessThanOrEqual(overflow.clientWidth);
  if (size) await page.setViewportSize(size);
}

// Promotion as a team does it: what runs in dev, by its digest, to prod, through the approval gate.
test("a member promotes what runs in dev to prod: the same digest, the configuration difference shown, a teammate approves", async ({ page, browser }) => {
  // Two namespaces provisioned, two rollouts and a health cycle in between.
  test.setTimeout(300_000);
  const suffix = Date.now().toString(36);
  const devName = `payments-pdv${suffix}`;
  const prodName = `payments-ppr${suffix}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const devId = await readyNamespace(page, admin, { team: "payments", cluster: "aks-dev-weu", name: devName, justification: "End-to-end test of promotion" });
  const prodId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-prod-weu",
    name: prodName,
    justification: "End-to-end test of promotion",
  });
  await adminContext.close();

  await page.goto("/catalog/card-tokenizer/deploy");
  await page.getByLabel("Namespace").selectOption(devId);
  await page.getByLabel("Image tag or digest").fill("1.4.2");
  await page.getByLabel("Replicas").fill("3");
  await page.getByRole("button", { name: "Preview what will be applied" }).click();
  await page.getByRole("button", { name: `Deploy to ${devName}` }).click();
  await expect(page.locator("[data-status=succeeded]")).toBeVisible({ timeout: 60_000 });

  // The service page shows dev's version once the health cycle has seen it, with Promote beside it.
  const promote = page.getByRole("link", { name: `Promote 1.4.2 to test or prod, from ${devName}` });
  await expect(async () => {
    await page.goto("/catalog/card-tokenizer");
    await expect(promote).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  const devCard = page.getByRole("region", { name: `dev: ${devName}` }).or(page.locator(`[aria-label="dev: ${devName}"]`));
  const digest = (await devCard
    .getByTitle(/^sha256:/)
    .first()
    .getAttribute("title"))!;
  expect(digest).toMatch(/^sha256:[a-f0-9]{64}$/);
  await promote.click();

  await expect(page.getByRole("status", { name: "Promotion" })).toContainText(`Promoting what runs in ${devName}`);
  await expect(page.getByLabel("Image tag or digest")).toHaveValue(digest);
  await expect(page.getByText("Tag 1.4.2, pinned to its digest")).toBeVisible();
  await expect(page.getByLabel("Replicas")).toHaveValue("3");
  await fitsPhone(page, "promotion-form-390.png");
  // Only later environments are offered.
  await expect(page.getByLabel("Namespace").locator("option", { hasText: devName })).toHaveCount(0);
  await page.getByLabel("Namespace").selectOption(prodId);
  await page.getByRole("button", { name: "Preview what will be applied" }).click();
  const difference = page.locator(`[aria-label="Difference from ${devName}"]`);
  await expect(difference).toContainText(`Configuration in ${prodName} (prod) against ${devName} (dev), revision 1`);
  // The tag goes along with the digest (decision 0064).
  await expect(difference.getByRole("row", { name: new RegExp(`Image .*card-tokenizer:1\\.4\\.2 .*card-tokenizer:1\\.4\\.2@${digest}`) })).toBeVisible();
  await page.screenshot({ path: "test-results/promotion-preview.png", fullPage: true });
  await fitsPhone(page, "promotion-preview-390.png");
  await page.getByRole("button", { name: "Ask for approval" }).click();
  await expect(page.locator("[data-status=awaiting-approval]")).toBeVisible();
  const url = new URL(page.url()).pathname;

  const teammateContext = await browser.newContext();
  try {
    const teammate = await teammateContext.newPage();
    await signInAs(teammate, "both", url);
    await teammate.getByRole("button", { name: "Approve and deploy" }).click();
    await expect(teammate.locator("[data-status=succeeded]")).toBeVisible({ timeout: 60_000 });
    await expect(teammate.getByTitle(`contoso.azurecr.io/payments/card-tokenizer:1.4.2@${digest}`)).toHaveText(`1.4.2 (${digest.slice(0, 19)})`);
  } finally {
    await teammateContext.close();
  }

  // From prod there is nowhere further: the page says so instead of offering a form that would fail.
  await page.goto(`/catalog/card-tokenizer/deploy?from=${prodId}`);
  await expect(page.getByRole("alert").filter({ hasText: "Cannot promote from there" })).toContainText("nowhere to promote to");
});
