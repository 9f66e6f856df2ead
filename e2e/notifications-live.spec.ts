import { expect, test, type Page } from "@playwright/test";
import { api, signInAs } from "./fixtures";

/** Counts the page's GETs of the bell's endpoint from now on. */
function notificationFetches(page: Page): { count: number } {
  const seen = { count: 0 };
  page.on("request", (request) => {
    if (request.method() === "GET" && new URL(request.url()).pathname === "/api/v1/notifications") seen.count += 1;
  });
  return seen;
}

/** The bell's unread count from its accessible name: "Notifications" is none, "Notifications, 3 unread" three. */
function unreadOf(label: string | null): number {
  const unread = /^Notifications, (\d+) unread$/.exec(label ?? "");
  if (label !== "Notifications" && !unread) throw new Error(`The bell's name is not what the spec reads: ${JSON.stringify(label)}`);
  return unread ? Number(unread[1]) : 0;
}

/** Signs in and waits until the bell has loaded once and its stream is open (its response headers are in). */
async function signInWithBell(page: Page, key: "payments" | "orders"): Promise<void> {
  const firstLoad = page.waitForResponse((response) => new URL(response.url()).pathname === "/api/v1/notifications", { timeout: 60_000 });
  const streamOpen = page.waitForResponse((response) => response.url().includes("/api/v1/stream?topic=notifications"), { timeout: 60_000 });
  await signInAs(page, key);
  expect((await firstLoad).ok()).toBe(true);
  expect((await streamOpen).status()).toBe(200);
}

test("the bell follows the change feed: no timer in a quiet window, a rejection reaches the requester's bell alone without a reload", async ({ browser }) => {
  // Three sign-ins and a quiet window of 10 s: longer than the default on a loaded machine.
  test.setTimeout(240_000);
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  try {
    const [requester, bystander, admin] = await Promise.all(contexts.map((context) => context.newPage()));
    await signInWithBell(requester!, "payments");
    await signInWithBell(bystander!, "orders");
    await signInAs(admin!, "admin");
    const requesterFetches = notificationFetches(requester!);
    const bystanderFetches = notificationFetches(bystander!);
    const bystanderBell = await bystander!.getByRole("button", { name: /^Notifications/ }).getAttribute("aria-label");
    // What the requester has unread already: earlier specs' notices to Payments members can land after their bell was
    // read (a namespace turns ready a few seconds after its approval was opened), so the rejection is counted on top.
    const unreadBefore = unreadOf(await requester!.getByRole("button", { name: /^Notifications/ }).getAttribute("aria-label"));

    // Ten quiet seconds: neither bell asks the server anything (no polling timer).
    await requester!.waitForTimeout(10_000);
    expect(requesterFetches.count).toBe(0);
    expect(bystanderFetches.count).toBe(0);

    // The requester files a namespace request (admins are notified, the approvals inbox changes: not the bells here).
    const name = `payments-bell${Date.now().toString(36)}`;
    const { teams } = await api<{ teams: { id: string; slug: string }[] }>(requester!, "GET", "/api/v1/teams");
    const { clusters } = await api<{ clusters: { id: string; name: string }[] }>(requester!, "GET", "/api/v1/clusters");
    const filed = await api<{ id: string }>(requester!, "POST", "/api/v1/namespace-requests", {
      teamId: teams.find((team) => team.slug === "payments")!.id,
      clusterId: clusters.find((cluster) => cluster.name === "aks-dev-weu")!.id,
      name,
      quota: { requestsCpu: "1", limitsCpu: "2", requestsMemory: "1Gi", limitsMemory: "2Gi", pods: "10", storage: "1Gi", loadBalancers: "0" },
      containerDefaults: { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" },
      justification: "The bell end-to-end test: to be rejected",
    });
    // An admin rejects it in another browser: the requester's bell shows it within seconds, without a reload.
    await api(admin!, "POST", `/api/v1/namespace-requests/${filed.id}/decision`, { decision: "reject", reason: "Use the shared payments namespace." });
    await expect(requester!.getByRole("button", { name: `Notifications, ${unreadBefore + 1} unread` })).toBeVisible({ timeout: 15_000 });
    expect(requesterFetches.count).toBeGreaterThanOrEqual(1);
    await requester!.getByRole("button", { name: /Notifications/ }).click();
    await expect(requester!.getByRole("menuitem", { name: new RegExp(`rejected ${name}.*Use the shared payments namespace`) })).toBeVisible();

    // The bystander's bell heard nothing: no notice on their stream, so no refetch, and the same count.
    await bystander!.waitForTimeout(2_000);
    expect(bystanderFetches.count).toBe(0);
    await expect(bystander!.getByRole("button", { name: /^Notifications/ })).toHaveAttribute("aria-label", bystanderBell!);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
  }
});
