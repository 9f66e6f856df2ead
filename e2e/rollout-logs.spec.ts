import { expect, test, type Page } from "@playwright/test";
import { api, readyNamespace, signInAs } from "./fixtures";

// Setup through the API as the people would; what is checked is on the page.
async function deploy(page: Page, namespaceId: string, tag: string): Promise<{ id: string; revision: number }> {
  return api<{ id: string; revision: number }>(page, "POST", "/api/v1/deployments", { service: "card-tokenizer", namespaceId, tag });
}

test("a crash-looping rollout shows the log line that explains it, its events folded, and a rollback naming its revision", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const namespace = `payments-log${Date.now().toString(36)}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const namespaceId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-dev-weu",
    name: namespace,
    justification: "End-to-end test of a failed rollout's logs",
  });
  await adminContext.close();

  const good = await deploy(page, namespaceId, "1.4.2");
  await expect.poll(async () => (await api<{ status: string }>(page, "GET", `/api/v1/deployments/${good.id}`)).status, { timeout: 60_000 }).toBe("succeeded");
  const crash = await deploy(page, namespaceId, "crash");
  await page.goto(`/deployments/${crash.id}`);
  await expect(page.locator("[data-status=failed]")).toContainText("CrashLoopBackOff", { timeout: 120_000 });

  const log = page.getByLabel(/^Last lines of the log of card-tokenizer-/);
  await expect(log).toContainText(/Error: connect ECONNREFUSED 10\.0\.\d+\.\d+:5432/);
  await expect(page.getByText(/^From the previous container: it exited and was restarted/)).toBeVisible();

  // The pod's warnings are shown; the kubelet's routine start-up events are folded behind a toggle.
  const events = page.getByRole("region", { name: "Events of the pod" });
  await expect(events.getByText(/Back-off restarting failed container/).first()).toBeVisible();
  const routine = events.getByText(/^\d+ routine events? \(/);
  await expect(routine).toContainText("Scheduled");
  await expect(events.getByText(/Successfully assigned /)).toBeHidden();
  await routine.click();
  await expect(events.getByText(/Successfully assigned /).first()).toBeVisible();

  await page.getByRole("button", { name: "Roll back to revision 1" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog.getByRole("heading", { name: "Roll back to revision 1?" })).toBeVisible();
  await expect(dialog).toContainText(`applies revision 1 (contoso.azurecr.io/payments/card-tokenizer:1.4.2) again to ${namespace} on aks-dev-weu`);
  await expect(dialog).toContainText(`Revision ${crash.revision} stays in the history`);
  await page.screenshot({ path: "test-results/rollout-logs-crash-loop.png", fullPage: true });
  await dialog.getByRole("button", { name: "Keep revision 2" }).click();
  await expect(dialog).toBeHidden();
  await page.screenshot({ path: "test-results/rollout-logs-crash-loop-page.png", fullPage: true });

  await page.getByRole("button", { name: "Roll back to revision 1" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Roll back to revision 1" }).click();
  await expect(page).not.toHaveURL(new RegExp(crash.id));
  await expect(page.locator("[data-status=succeeded]")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/Rollback by Priya Shah/)).toBeVisible();
});
