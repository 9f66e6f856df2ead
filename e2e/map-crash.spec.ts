// A crash on the application map, end to end (issue 13's test): Workflow and
// Drone Scheduler of the drone delivery reference architecture run in their
// own dev namespace; deploying tag `crash` to Drone Scheduler (its new pod
// crash-loops beside the ready ones and drops its share of the calls) turns
// its node unhealthy, by word and icon, and Workflow's edge into it "failing
// now" within one health cycle of the failed rollout, though the hour's rate
// still dilutes the minutes of failure (decision 0053). A rollback to the
// good revision brings both back, so the specs after this one (e2e/map.spec.ts
// deploys the same services in a namespace of its own) find them healthy.
// Drone Scheduler because e2e/map.spec.ts asserts nothing on its health or
// its edge's figures (only that the edge is drawn).
//
// Telemetry is per role and environment, and each Workflow deployed in dev
// makes the role's full traffic: if map.spec.ts ran first, its Workflow's
// healthy calls to its own Drone Scheduler halve the edge's failure rate.
// Drone Scheduler runs one replica here, so the crash-looping pod beside it
// drops half of this Workflow's calls (a quarter with three replicas): a
// quarter of the edge's calls with one other Workflow, still surely over the
// 5 % of "failing now" with a quiet role's calls.
import { expect, test, type Page } from "@playwright/test";
import { api, droneNamespace, signInAs } from "./fixtures";

const pollSeconds = Number(process.env.WHARF_E2E_HEALTH_POLL_SECONDS ?? 5);
const withinCycles = (cycles: number) => ({ timeout: (cycles * pollSeconds + 30) * 1000 });
/** The edge's "now" is its last 2 minutes (decision 0053): failures that ended leave it after them. */
const recentMinutesMs = 2 * 60_000;

async function finished(page: Page, deployment: { id: string }, outcome: "succeeded" | "failed"): Promise<string> {
  await expect
    .poll(async () => (await api<{ status: string }>(page, "GET", `/api/v1/deployments/${deployment.id}`)).status, { timeout: 180_000 })
    .toBe(outcome);
  return deployment.id;
}

async function deploy(page: Page, service: string, namespaceId: string, tag: string, outcome: "succeeded" | "failed", replicas?: number): Promise<string> {
  return finished(
    page,
    await api<{ id: string }>(page, "POST", "/api/v1/deployments", { service, namespaceId, tag, ...(replicas === undefined ? {} : { replicas }) }),
    outcome,
  );
}

test("deploying tag crash to Drone Scheduler turns its node unhealthy and Workflow's edge into it failing within one cycle; a rollback recovers both", async ({
  page,
}) => {
  test.setTimeout(900_000);
  await signInAs(page, "admin");
  const namespaceId = await droneNamespace(page, `drone-delivery-crash${Date.now().toString(36)}`);
  const good = await deploy(page, "drone-scheduler", namespaceId, "1.0.0", "succeeded", 1);
  await deploy(page, "workflow", namespaceId, "1.0.0", "succeeded");

  const map = page.getByTestId("app-map");
  const scheduler = map.locator(".react-flow__node").filter({ has: page.getByRole("link", { name: "Drone Scheduler", exact: true }) });
  const edge = page.locator('.react-flow__edge[aria-label^="Workflow calls Drone Scheduler:"]');
  // Running well first: the edge drawn, not failing, and the node healthy. A reload per try; the map is drawn in the
  // browser after hydration and its data's fetch, which takes seconds on a loaded 2-core machine.
  await expect(async () => {
    await page.goto("/map");
    await expect(edge).toHaveCount(1, { timeout: 5_000 });
    await expect(scheduler).toContainText("✓ Healthy", { timeout: 1_000 });
    await expect(edge).not.toHaveAttribute("aria-label", /failing/, { timeout: 1_000 });
  }).toPass({ ...withinCycles(6), intervals: [2_000, 5_000] });

  let rolledBack = false;
  try {
    // The new pod crash-loops; Wharf fails the rollout after its third restart (over a minute), the old pod serves on.
    const crashed = await deploy(page, "drone-scheduler", namespaceId, "crash", "failed", 1);
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

    // Rolled back to the good revision (a new deployment re-applying its manifest): the crash-looping pod goes, the node is
    // healthy again within a couple of cycles, and the edge stops "failing now" once its last 2 minutes hold no dropped call.
    const rollback = await api<{ id: string }>(page, "POST", `/api/v1/deployments/${good}/rollback`);
    await finished(page, rollback, "succeeded");
    rolledBack = true;
    expect(rollback.id).not.toBe(crashed);
    await expect(async () => {
      await page.goto("/map");
      await expect(scheduler).toContainText("✓ Healthy", { timeout: 5_000 });
      await expect(edge).not.toHaveAttribute("aria-label", /failing now/, { timeout: 1_000 });
      await expect(edge).not.toContainText("failing now", { timeout: 1_000 });
    }).toPass({ timeout: recentMinutesMs + withinCycles(2).timeout, intervals: [2_000, 5_000] });
    await page.screenshot({ path: "test-results/map-crash-recovered.png", fullPage: true });
  } finally {
    // A failed assertion above must not leave the fleet crash-looping for the specs after this one.
    if (!rolledBack) await deploy(page, "drone-scheduler", namespaceId, "1.0.0", "succeeded", 1);
  }
});
