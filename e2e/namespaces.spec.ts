import { existsSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { kubectl, signInAs } from "./fixtures";

test("a Payments member requests a namespace, an admin approves it in another browser, the member sees it ready, and it is on the cluster", async ({
  page,
  browser,
}) => {
  const name = `payments-e2e${Date.now().toString(36)}`;
  await signInAs(page, "payments", "/namespaces/new");
  await page.getByLabel("Cluster").selectOption({ label: "aks-dev-weu (dev, westeurope)" });

  // The policy answers while typing.
  await page.getByLabel("Namespace name").fill("Payments-Orders");
  await page.getByLabel("Namespace name").blur();
  await expect(page.getByText("Namespace names are lowercase: use payments-orders.")).toBeVisible();
  await page.getByLabel("Namespace name").fill("orders-api");
  await expect(page.getByText("starts with orders-, the prefix of Orders")).toBeVisible();
  await page.getByLabel("CPU requests").fill("64");
  await page.getByLabel("CPU requests").blur();
  await expect(page.getByText("CPU requests 64 is above the dev ceiling of 8")).toBeVisible();
  await page.getByLabel("CPU requests").fill("2");
  await page.getByLabel("Namespace name").fill(name);
  await page.getByLabel("Justification").fill("Orders API for the checkout flow, end-to-end test");
  await page.getByRole("button", { name: "Send for approval" }).click();
  await expect(page).toHaveURL(/\/namespaces\?request=/);
  await expect(page.getByRole("row").filter({ hasText: name })).toContainText("Pending approval");

  const adminContext = await browser.newContext();
  try {
    const admin = await adminContext.newPage();
    await signInAs(admin, "admin", "/admin/namespace-requests");
    const card = admin.getByRole("listitem").filter({ has: admin.getByRole("heading", { name }) });
    await expect(card).toContainText("Policy: passes");
    await card.getByRole("button", { name: `Approve ${name}` }).click();
    await expect(card.getByRole("status")).toHaveText("Approved.");
  } finally {
    await adminContext.close();
  }

  // The member learns of it without reloading: the bell, then the live namespace page.
  await expect(page.getByRole("button", { name: /Notifications, \d+ unread/ })).toBeVisible({ timeout: 15_000 });
  await page.getByRole("button", { name: /Notifications/ }).click();
  await page.getByRole("menuitem", { name: new RegExp(`approved ${name}`) }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.locator("[data-status=ready]")).toBeVisible({ timeout: 20_000 });
  // Ready, it says how to reach it with kubectl: the cluster's credentials, then this namespace as kubectl's default.
  const connect = page.getByRole("region", { name: "Connect with kubectl" });
  await expect(connect).toContainText(/az aks get-credentials --resource-group \S+ --name aks-dev-weu/);
  await expect(connect).toContainText("kubelogin convert-kubeconfig -l azurecli");
  await expect(connect).toContainText(`kubectl config set-context --current --namespace ${name}`);
  await page.screenshot({ path: "test-results/namespace-ready.png", fullPage: true });

  test.skip(!existsSync("/usr/bin/kubectl"), "kubectl is not installed at /usr/bin/kubectl; the cluster-side check is skipped");
  expect(kubectl(["get", "namespace", name, "-o", "jsonpath={.metadata.labels}"])).toContain('"wharf.io/team":"payments"');
  expect(kubectl(["get", "resourcequota,limitrange,rolebinding,networkpolicy", "-n", name, "-o", "name"]).trim().split("\n").sort()).toEqual([
    "limitrange/wharf-limits",
    "networkpolicy.networking.k8s.io/wharf-allow-same-namespace-and-ingress",
    "networkpolicy.networking.k8s.io/wharf-default-deny-ingress",
    "resourcequota/wharf-quota",
    "rolebinding.rbac.authorization.k8s.io/wharf-team-edit",
  ]);
});

test("a member cannot open the approval queue, and the API refuses their approval", async ({ page }) => {
  await signInAs(page, "payments");
  expect((await page.goto("/admin/namespace-requests"))?.status()).toBe(403);
  const response = await page.request.post("/api/v1/namespace-requests/00000000-0000-4000-8000-000000000000/decision", {
    data: { decision: "approve" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.message).toBe(
    "Only a platform admin can approve or reject namespace requests. Ask a platform admin (the Teams page lists them: /teams#platform-admins) to decide the request.",
  );
  const stream = await page.request.get("/api/v1/stream?topic=everything");
  expect(stream.status()).toBe(400);
  expect((await stream.json()).error.message).toContain("?topic=deployment:<id>");
});
