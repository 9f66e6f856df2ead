// A crash on the application map, end to end (issue 13's test): Workflow and
// Drone Scheduler of the drone delivery reference architecture run in their
// own dev namespace; deploying tag `crash` to Drone Scheduler (its new pod
// crash-loops beside the ready ones and drops its share of the calls) turns
// its node unhealthy, by word and icon, and Workflow's edge into it "failing
// now" within one health cycle of the failed rollout, though the hour's rate
// still dilutes the minutes of failure (decision 0053). The good tag is
// deployed again at the end, so the specs after this one find it healthy.
// Drone Scheduler because e2e/map.spec.ts asserts nothing on its health or
// its edge's figures (only that the edge is drawn).
import { expect, test, type Page } from "@playwright/test";
import { api, droneNamespace, signInAs } from "./fixtures";

const pollSeconds = Number(process.env.WHARF_E2E_HEALTH_POLL_SECONDS ?? 5);
const withinCycles = (cycles: number) => ({ timeout: (cycles * pollSeconds + 30) * 1000 });

async function deploy(page: Page, service: string, namespaceId: string, tag: string, outcome: "succeeded" | "failed"): Promise<void> {
  const deployment = await api<{ id: string }>(page, "POST", "/api/v1/deployments", { service, namespaceId, tag });
  await expect
    .poll(async () => (await api<{ status: string }>(page, "GET", `/api/v1/deployments/${deployment.id}`)).status, { timeout: 180_000 })
    .toBe(outcome);
}

test("deploying tag crash to Drone Scheduler turns its node unhealthy and Workflow's edge into it failing within one cycle", async ({ page }) => {
  test.setTimeout(600_000);
  await signInAs(page, "admin");
  const namespaceId = await droneNamespace(page, `drone-delivery-crash${Date.now().toString(36)}`);
  for (const service of ["drone-scheduler", "workflow"]) await deploy(page, service, namespaceId, "1.0.0", "succeeded");

  const map = page.getByTestId("app-map");
  const scheduler = map.locator(".react-flow__node").filter({ has: page.getByRole("link", { name: "Drone Scheduler", exact: true }) });
  const edge = page.locator('.react-flow__edge[aria-label^="Workflow calls Drone Scheduler:"]');
  // Running well first: the edge drawn, not failing, and the node not unhealthy.
  await expect(async () => {
    await page.goto("/map");
    await expect(edge).toHaveCount(1, { timeout: 1_000 });
    await expect(scheduler).toContainText("✓ Healthy", { timeout: 1_000 });
  }).toPass({ ...withinCycles(6), intervals: [2_000, 5_000] });
  await expect(edge).not.toHaveAttribute("aria-label", /failing/);

  try {
    // The new pod crash-loops; Wharf fails the rollout after its third restart (over a minute), the old pods serve on.
    await deploy(page, "drone-scheduler", namespaceId, "crash", "failed");
    // A reload per try; the map is drawn in the browser after hydration, which took seconds on a loaded 2-core machine.
    await expect(async () => {
      await page.goto("/map");
      await expect(scheduler).toContainText("✕ Unhealthy", { timeout: 5_000 });
      await expect(edge).toHaveAttribute("aria-label", /failing now \([\d.]+ % of \d+ calls in the last 2 minutes failed\)/, { timeout: 1_000 });
    }).toPass({ ...withinCycles(1), intervals: [1_000] });
    // Said in words on the edge too, not by its colour alone.
    await expect(edge).toContainText("failing now");
    await page.screenshot({ path: "test-results/map-crash.png", fullPage: true });

    // The edge's figures: the hour's rate beside the last minutes', and why it is shown failing.
    await edge.dispatchEvent("click");
    const details = page.getByTestId("edge-details");
    await expect(details.getByRole("heading", { level: 2 })).toHaveText("Workflow → Drone Scheduler");
    await expect(details).toContainText("Last 2 min");
    await expect(details).toContainText(/Failing now: [\d.]+ % of \d+ calls in the last 2 minutes failed/);
    await page.screenshot({ path: "test-results/map-crash-edge.png", fullPage: true });
  } finally {
    await deploy(page, "drone-scheduler", namespaceId, "1.0.0", "succeeded");
  }
});
