// Health end to end, with the poller running on a short cycle
// (WHARF_HEALTH_POLL_SECONDS in playwright.config.ts): a deploy from the page
// turns into a state on /health and on the service page within about one
// cycle, through the sandbox's telemetry and Log Analytics. Setup goes
// through the API as the people would; the deploys through the pages.
import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { api, readyNamespace, rollBackFromHistory, signInAs } from "./fixtures";

// Both have an App Insights role name, so their health has telemetry as well as Kubernetes. Telemetry is per role
// and environment (App Insights cannot tell two namespaces of one environment apart), so each test uses its own service.
const ledger = { slug: "ledger", name: "Ledger", team: "payments" } as const;
const orderApi = { slug: "order-api", name: "Order API", team: "orders" } as const;
type Service = typeof ledger | typeof orderApi;
const bigQuota = { requestsCpu: "8", limitsCpu: "16", requestsMemory: "16Gi", limitsMemory: "32Gi", pods: "50", storage: "10Gi", loadBalancers: "0" };
const pollSeconds = Number(process.env.WHARF_E2E_HEALTH_POLL_SECONDS ?? 5);
// About one cycle, plus the page's own refresh and a rollout's settling, on a shared 2-core machine.
const withinCycles = (cycles: number) => ({ timeout: (cycles * pollSeconds + 20) * 1000 });

/** Deploys from the service's deploy page and waits for the rollout to end with the given status. */
async function deployFromPage(
  page: Page,
  service: Service,
  namespace: string,
  namespaceId: string,
  tag: string,
  outcome: "succeeded" | "failed",
): Promise<void> {
  await page.goto(`/catalog/${service.slug}/deploy`);
  await page.getByLabel("Namespace").selectOption(namespaceId);
  await page.getByLabel("Image tag or digest").fill(tag);
  await page.getByRole("button", { name: "Preview what will be applied" }).click();
  await expect(page.getByText("Passes the policy")).toBeVisible();
  await page.getByRole("button", { name: `Deploy to ${namespace}` }).click();
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/);
  await expect(page.locator(`[data-status=${outcome}]`)).toBeVisible({ timeout: 90_000 });
}

/** The service's row for one namespace on /health (the page updates itself after every poll). */
function healthRow(page: Page, namespace: string): Locator {
  return page.getByTestId("health-row").filter({ hasText: namespace });
}

/** The service page's Environments card for one namespace; the page is server-rendered, so it is reloaded until it says so. */
async function expectEnvironment(
  page: Page,
  service: Service,
  environment: string,
  namespace: string,
  state: string | string[],
  reason: RegExp | null,
  wait: { timeout: number },
): Promise<void> {
  const states = typeof state === "string" ? [state] : state;
  await expect(async () => {
    await page.goto(`/catalog/${service.slug}`);
    const card = page.getByRole("region", { name: `${environment}: ${namespace}` }).or(page.getByLabel(`${environment}: ${namespace}`));
    await expect(card.locator(states.map((one) => `[data-health=${one}]`).join(", ")).first()).toBeVisible({ timeout: 1_000 });
    if (reason) await expect(card.getByRole("list", { name: "Reasons" })).toContainText(reason, { timeout: 1_000 });
  }).toPass({ ...wait, intervals: [1_000, 2_000] });
}

test("a deploy's health follows it: good tag healthy, crash unhealthy with the reason, roll back healthy, errors judged by failure rate", async ({
  page,
  browser,
}) => {
  test.setTimeout(900_000);
  const namespace = `payments-hl${Date.now().toString(36)}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const namespaceId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-dev-weu",
    name: namespace,
    justification: "End-to-end test of health",
    quota: bigQuota,
  });
  const service = ledger;

  await deployFromPage(page, service, namespace, namespaceId, "2.3.0", "succeeded");
  await page.goto("/health");
  await expect(healthRow(page, namespace)).toHaveAttribute("data-state", "healthy", withinCycles(2));
  await expect(healthRow(page, namespace)).toContainText(service.name);
  await expect(healthRow(page, namespace)).toContainText("2.3.0");
  await page.screenshot({ path: "test-results/health-live-healthy.png", fullPage: true });
  await expectEnvironment(page, service, "dev", namespace, "healthy", null, withinCycles(1));
  await page.screenshot({ path: "test-results/health-live-service-healthy.png", fullPage: true });

  // Tag crash: its pods crash-loop and the rollout fails; /health, left open, turns unhealthy by itself and says why.
  const board = await (await browser.newContext({ storageState: await page.context().storageState() })).newPage();
  await board.goto("/health");
  await expect(healthRow(board, namespace)).toHaveAttribute("data-state", "healthy");
  await deployFromPage(page, service, namespace, namespaceId, "crash", "failed");
  const crashed = page.url();
  await expect(healthRow(board, namespace)).toHaveAttribute("data-state", "unhealthy", withinCycles(1));
  await expect(healthRow(board, namespace).getByRole("list", { name: "Reasons" })).toContainText(/CrashLoopBackOff|The last rollout failed/);
  await board.screenshot({ path: "test-results/health-live-crash.png", fullPage: true });
  await expectEnvironment(page, service, "dev", namespace, "unhealthy", /CrashLoopBackOff|The last rollout failed/, withinCycles(1));
  await page.screenshot({ path: "test-results/health-live-service-crash.png", fullPage: true });

  // Roll back from the history: healthy again.
  await page.goto(crashed);
  await rollBackFromHistory(page, service.slug, namespace, 1);
  await expect(page.locator("[data-status=succeeded]")).toBeVisible({ timeout: 90_000 });
  await expect(healthRow(board, namespace)).toHaveAttribute("data-state", "healthy", withinCycles(2));
  await board.screenshot({ path: "test-results/health-live-rolled-back.png", fullPage: true });
  await expectEnvironment(page, service, "dev", namespace, "healthy", null, withinCycles(1));

  // Tag errors: about 20 % of its requests fail. Failure rate is judged over the last 15 minutes by its 99 % lower
  // bound (decision 0044) on what its sampled rows are worth (decision 0074), so it rises minute by minute after the
  // deploy and crosses critical's degraded threshold (1 %) once the failures are too many to be chance: Ledger's role
  // gets about 10 requests a minute at night (the sandbox's traffic follows the time of day) in rows of ItemCount 1
  // to 5, so after a few failed rows, three to five minutes; later it may cross the
  // unhealthy one too. The tag also fails one availability run in ten, and availability has its own window and
  // thresholds, so the row can turn degraded by availability before the failure rate is judged, or unhealthy by
  // either: what is checked is that the failure rate is judged, and that the row is at least as bad as that verdict.
  const judgedFailureRate = /Failure rate [\d.]+ % is at or above the (degraded|unhealthy) threshold of [\d.]+ %/;
  try {
    await deployFromPage(page, service, namespace, namespaceId, "errors", "succeeded");
    const reasons = healthRow(board, namespace).getByRole("list", { name: "Reasons" });
    await expect(reasons).toContainText(judgedFailureRate, { timeout: 300_000 });
    const verdict = judgedFailureRate.exec((await reasons.textContent()) ?? "")?.[1];
    await expect(healthRow(board, namespace)).toHaveAttribute("data-state", verdict === "unhealthy" ? "unhealthy" : /^(degraded|unhealthy)$/);
    await board.screenshot({ path: "test-results/health-live-errors.png", fullPage: true });
    await expectEnvironment(page, service, "dev", namespace, ["degraded", "unhealthy"], judgedFailureRate, withinCycles(1));
    await page.screenshot({ path: "test-results/health-live-service-errors.png", fullPage: true });
  } finally {
    await adminContext.close();
    await board.context().close();
  }
});

test("a failing workspace: its services say how old their data is and why, the other workspace's stay current", async ({ page, browser, playwright }) => {
  test.setTimeout(600_000);
  const suffix = Date.now().toString(36);
  const service = orderApi;
  const devNamespace = `orders-hw${suffix}`;
  const prodNamespace = `orders-hp${suffix}`;
  await signInAs(page, "orders");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin");
  const devId = await readyNamespace(page, admin, {
    team: "orders",
    cluster: "aks-dev-weu",
    name: devNamespace,
    justification: "End-to-end test of health",
    quota: bigQuota,
  });
  const prodId = await readyNamespace(page, admin, {
    team: "orders",
    cluster: "aks-prod-weu",
    name: prodNamespace,
    justification: "End-to-end test of health",
    quota: bigQuota,
  });
  await adminContext.close();

  // Dev writes to log-wharf-nonprod, prod to log-wharf-prod (sandbox/monitor/workspaces.ts).
  await deployFromPage(page, service, devNamespace, devId, "2.3.0", "succeeded");
  const prod = await api<{ id: string }>(page, "POST", "/api/v1/deployments", { service: service.slug, namespaceId: prodId, tag: "2.3.0" });
  const teammateContext = await browser.newContext();
  const teammate = await teammateContext.newPage();
  await signInAs(teammate, "both");
  await api(teammate, "POST", `/api/v1/deployments/${prod.id}/approve`);
  await teammateContext.close();
  await expect.poll(async () => (await api<{ status: string }>(page, "GET", `/api/v1/deployments/${prod.id}`)).status, { timeout: 90_000 }).toBe("succeeded");

  await page.goto("/health");
  await expect(healthRow(page, devNamespace)).toHaveAttribute("data-state", "healthy", withinCycles(2));
  await expect(healthRow(page, prodNamespace)).toHaveAttribute("data-state", "healthy", withinCycles(2));

  const faultsEndpoint = (JSON.parse(readFileSync(".data/e2e/sandbox/endpoints.json", "utf8")) as { faultsEndpoint: string }).faultsEndpoint;
  const sandbox = await playwright.request.newContext({ ignoreHTTPSErrors: true });
  try {
    const faulted = await sandbox.put(faultsEndpoint, { data: { rules: [{ api: "logs", workspace: "log-wharf-nonprod", errorRate: 1, errorStatus: 503 }] } });
    expect(faulted.ok(), await faulted.text()).toBe(true);
    // Once its last figures are more than two cycles old, the dev row is unknown with their age and the workspace's error.
    const dev = healthRow(page, devNamespace);
    await expect(dev).toHaveAttribute("data-state", "unknown", withinCycles(3));
    const { entries } = await api<{ entries: { namespace: { name: string }; evaluatedAt: string; telemetry: { observedAt: string } | null }[] }>(
      page,
      "GET",
      "/api/v1/health?environment=dev",
    );
    const devEntry = entries.find((entry) => entry.namespace.name === devNamespace)!;
    expect(Date.parse(devEntry.evaluatedAt) - Date.parse(devEntry.telemetry!.observedAt)).toBeGreaterThan(2 * pollSeconds * 1000);
    await expect(dev.getByRole("list", { name: "Reasons" })).toContainText(/Telemetry unknown: data is \d+ (s|min) old/);
    await expect(dev).toContainText(/ServiceUnavailable|503|could not be queried/);
    await expect(page.getByRole("alert").filter({ hasText: "could not be queried" })).toContainText("log-wharf-nonprod");
    // The prod row is still evaluated every cycle, from its own workspace.
    const prodRow = healthRow(page, prodNamespace);
    await expect(prodRow).toHaveAttribute("data-state", "healthy");
    await expect(prodRow).not.toContainText("data is");
    const current = await api<{ entries: { namespace: { name: string }; evaluatedAt: string; telemetry: { observedAt: string; error?: string } | null }[] }>(
      page,
      "GET",
      "/api/v1/health?environment=prod",
    );
    const prodEntry = current.entries.find((entry) => entry.namespace.name === prodNamespace)!;
    expect(prodEntry.telemetry?.error).toBeUndefined();
    expect(Date.parse(prodEntry.evaluatedAt) - Date.parse(prodEntry.telemetry!.observedAt)).toBeLessThanOrEqual(2 * pollSeconds * 1000);
    await page.screenshot({ path: "test-results/health-live-workspace-fault.png", fullPage: true });
    await expectEnvironment(page, service, "dev", devNamespace, "unknown", /data is \d+ (s|min) old/, withinCycles(1));
    await page.screenshot({ path: "test-results/health-live-service-workspace-fault.png", fullPage: true });

    // Once the workspace answers again, the dev row is current again.
    await sandbox.delete(faultsEndpoint);
    await page.goto("/health");
    await expect(healthRow(page, devNamespace)).toHaveAttribute("data-state", "healthy", withinCycles(2));
  } finally {
    await sandbox.delete(faultsEndpoint);
    await sandbox.dispose();
  }
});
