import { expect, test } from "@playwright/test";
import { api, readyNamespace, signInAs } from "./fixtures";

// Setup through the API as the people would; the decision through the inbox page.
test("a teammate rejects a production deployment from the inbox with a reason, and the requester reads it in their notifications", async ({
  page,
  browser,
}) => {
  const namespace = `payments-apr${Date.now().toString(36)}`;
  const reason = "Not during the card-network freeze; ship it on Monday.";
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const namespaceId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-prod-weu",
    name: namespace,
    justification: "End-to-end test of the approvals inbox",
  });
  await adminContext.close();

  // The teammate has signed in once, so Wharf knows to notify them.
  const teammateContext = await browser.newContext();
  const teammate = await teammateContext.newPage();
  await signInAs(teammate, "both", "/approvals");

  const requested = await api<{ id: string; status: string; revision: number }>(page, "POST", "/api/v1/deployments", {
    service: "card-tokenizer",
    namespaceId,
    tag: "1.4.2",
  });
  expect(requested.status).toBe("awaiting-approval");
  const subject = `card-tokenizer revision ${requested.revision} to ${namespace}`;

  // The requester's own request is not theirs to approve: not in their inbox; their page says "Requested by".
  await page.goto("/approvals");
  await expect(page.getByRole("heading", { name: "Approvals", level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: `Deployment of ${subject}` })).toHaveCount(0);
  await page.goto(`/deployments/${requested.id}`);
  await expect(page.getByText(/Requested by Priya Shah/)).toBeVisible();

  // The teammate's inbox shows it without a reload (the change feed), with the count in the navigation and what it changes.
  const item = teammate.getByRole("region", { name: `Deployment of ${subject}` });
  await expect(item).toBeVisible();
  await expect(teammate.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Approvals\W+\d+ waiting$/ })).toBeVisible();
  await expect(item.getByText(/Requested by Priya Shah/)).toBeVisible();
  await expect(item.getByRole("row", { name: /Image .*card-tokenizer:1\.4\.2/ })).toBeVisible();

  // Rejecting needs a reason: the field says so and nothing is decided.
  await item.getByRole("button", { name: `Reject ${subject}` }).click();
  const field = item.getByLabel(/Reason \(required to reject/);
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(item.getByText(/Say why the deployment is rejected/)).toBeVisible();
  await expect(field).toBeFocused();
  await field.fill(reason);
  await item.getByRole("button", { name: `Reject ${subject}` }).click();
  await expect(teammate.getByRole("status").getByText(`Rejected ${subject}; the requester is told why.`)).toBeVisible();
  await expect(item).toHaveCount(0);
  await teammate.screenshot({ path: "test-results/approvals-rejected.png", fullPage: true });
  await teammateContext.close();

  // The requester's deployment page follows the decision live, and the bell carries the reason.
  await expect(page.locator("[data-status=rejected]")).toBeVisible();
  await expect(page.getByText(`Rejected by Mei Lin: ${reason}`)).toBeVisible();
  await page.getByRole("button", { name: /^Notifications, \d+ unread$/ }).click();
  await expect(page.getByRole("menuitem").filter({ hasText: `Mei Lin rejected ${subject}: ${reason}` })).toBeVisible();
});
