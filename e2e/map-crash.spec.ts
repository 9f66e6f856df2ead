// A crash on the application map, end to end (issue 13's test): a caller and
// the service it calls run in their own dev namespace; deploying tag `crash`
// to the callee (its new pod crash-loops beside the ready one and drops its
// share of the calls) turns its node unhealthy, by word and icon, and the
// caller's edge into it "failing now" within one health cycle of the failed
// rollout, though the hour's rate still dilutes the minutes of failure
// (decision 0053). A rollback to the good revision brings both back.
//
// The pair is this spec's own: two catalog services it registers, with App
// Insights role names no other service has. The sandbox makes telemetry per
// role and environment from the deployments that name the role
// (OTEL_SERVICE_NAME) and the calls they declare (sandbox/monitor/telemetry),
// so an edge between roles another spec also deploys (Workflow → Drone
// Scheduler, which e2e/map.spec.ts deploys in dev too) adds that spec's
// healthy calls to this one's and thins its failure rate. Here every call on
// the edge is this caller's, and the crash-looping pod beside the callee's one
// replica drops half of them. The caller's role, "wharf-e2e-crash-caller",
// makes about 320 requests a minute at the sandbox's daily peak (its profile
// under the sandbox's default seed), a third of that at night: dozens of
// calls in the edge's last 2 minutes either way, surely over the 5 % of
// "failing now" at half of them failed.
//
// A wall board with the team's map tile runs on a screen throughout: it shows
// the same "failing now" on the edge (words, accessible name, colour) and the
// unhealthy node, pushed without a reload (decision 0065).
import { expect, test, type Locator, type Page } from "@playwright/test";
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

/**
 * A failing edge's red on the wall screen (lib/appmap/map-marks.ts `edgeColours.failing`, `--edge-failing`: the dark theme's
 * `--destructive` in app/globals.css, the screen's root being `dark`), as the browser computes it.
 */
const failingRed = "rgb(248, 113, 113)";
const failingNow = /^Crash Caller calls Crash Callee: .*failing now \([\d.]+ % of \d+ calls in the last 2 minutes failed\)/;

const deploySpec = (name: string) => ({
  imageRepository: `contoso.azurecr.io/drone-delivery/${name}`,
  port: 8080,
  replicas: 1,
  cpuRequest: "100m",
  cpuLimit: "500m",
  memoryRequest: "128Mi",
  memoryLimit: "256Mi",
  readinessPath: "/healthz",
  livenessPath: "/healthz",
});

/** The callee and its caller, Drone Delivery's, with role names only this spec deploys. */
async function registerPair(page: Page): Promise<void> {
  const common = { ownerTeam: "drone-delivery", tier: "critical", lifecycle: "production" };
  await api(page, "POST", "/api/v1/services", {
    ...common,
    slug: "crash-callee",
    displayName: "Crash Callee",
    appInsightsRoleName: "wharf-e2e-crash-callee",
    deploySpec: deploySpec("crash-callee"),
  });
  await api(page, "POST", "/api/v1/services", {
    ...common,
    slug: "crash-caller",
    displayName: "Crash Caller",
    appInsightsRoleName: "wharf-e2e-crash-caller",
    dependencies: [{ kind: "service", service: "crash-callee" }],
    deploySpec: deploySpec("crash-caller"),
  });
}

/** A screen (a fresh browser, full HD) showing a board of Drone Delivery's dev map, as a team's wall would. */
async function mapWall(page: Page): Promise<{ screen: Page; tile: Locator; close: () => Promise<void> }> {
  const slug = `crash-wall-${Date.now().toString(36)}`;
  await api(page, "POST", "/api/v1/boards", {
    slug,
    name: "Drone Delivery wall",
    teamId: null,
    tiles: [{ kind: "map", id: "map", x: 0, y: 0, w: 12, h: 6, team: "drone-delivery", environment: "dev", window: "1h" }],
  });
  const { token } = await api<{ token: string }>(page, "POST", `/api/v1/boards/${slug}/displays`, { label: "Crash wall" });
  const context = await page
    .context()
    .browser()!
    .newContext({ viewport: { width: 1920, height: 1080 } });
  const screen = await context.newPage();
  await screen.goto(`/display/${slug}?token=${token}`);
  const tile = screen.getByRole("region", { name: "Application map" });
  return { screen, tile, close: () => context.close() };
}

test("deploying tag crash to a callee turns its node unhealthy and its caller's edge into it failing within one cycle, on the map and a wall board; a rollback recovers both", async ({
  page,
}) => {
  test.setTimeout(900_000);
  await signInAs(page, "admin");
  await registerPair(page);
  const namespaceId = await droneNamespace(page, `drone-delivery-crash${Date.now().toString(36)}`);
  const good = await deploy(page, "crash-callee", namespaceId, "1.0.0", "succeeded");
  await deploy(page, "crash-caller", namespaceId, "1.0.0", "succeeded");
  const wall = await mapWall(page);
  const boardEdge = wall.tile.getByRole("listitem", { name: /^Crash Caller calls Crash Callee:/ });
  const boardNodes = wall.tile.getByRole("list", { name: "Nodes not healthy" });

  const map = page.getByTestId("app-map");
  const callee = map.locator(".react-flow__node").filter({ has: page.getByRole("link", { name: "Crash Callee", exact: true }) });
  const edge = page.locator('.react-flow__edge[aria-label^="Crash Caller calls Crash Callee:"]');
  // Running well first: the edge drawn, not failing, and the node healthy. A reload per try; the map is drawn in the
  // browser after hydration and its data's fetch, which takes seconds on a loaded 2-core machine. The two roles are new to
  // the map: their nodes are placed by the layout thread in the cycle that first sees them.
  await expect(async () => {
    await page.goto("/map");
    await expect(edge).toHaveCount(1, { timeout: 5_000 });
    await expect(callee).toContainText("✓ Healthy", { timeout: 1_000 });
    await expect(edge).not.toHaveAttribute("aria-label", /failing/, { timeout: 1_000 });
  }).toPass({ ...withinCycles(12), intervals: [2_000, 5_000] });
  await expect(wall.tile.getByTestId("map-nodes")).not.toHaveText("0", withinCycles(2));
  await expect(boardEdge.filter({ hasText: "failing" })).toHaveCount(0);
  await expect(boardNodes.getByText("Crash Callee")).toHaveCount(0);
  // A marker on the screen's window survives only if the screen is never reloaded: the tile changes through its stream.
  await wall.screen.evaluate(() => ((window as unknown as { wharfMarker: string }).wharfMarker = "same page"));

  let rolledBack = false;
  try {
    // The new pod crash-loops; Wharf fails the rollout after its third restart (over a minute), the old pod serves on.
    const crashed = await deploy(page, "crash-callee", namespaceId, "crash", "failed");
    await Promise.all([
      expect(async () => {
        await page.goto("/map");
        await expect(callee).toContainText("✕ Unhealthy", { timeout: 5_000 });
        await expect(edge).toHaveAttribute("aria-label", /failing now \([\d.]+ % of \d+ calls in the last 2 minutes failed\)/, { timeout: 1_000 });
      }).toPass({ ...withinCycles(1), intervals: [1_000] }),
      // The wall, in the same cycle and without a reload: the node unhealthy by icon and word, the edge by the map's words,
      // accessible name and red.
      (async () => {
        await expect(boardNodes.getByRole("listitem").filter({ hasText: "Crash Callee" })).toContainText("✕ Unhealthy", withinCycles(1));
        await expect(wall.tile.getByRole("listitem", { name: failingNow })).toHaveCount(1, withinCycles(1));
      })(),
    ]);
    await expect(boardEdge).toContainText("failing now");
    await expect(boardEdge.getByText("failing now", { exact: true })).toHaveCSS("color", failingRed);
    expect(await wall.screen.evaluate(() => (window as unknown as { wharfMarker?: string }).wharfMarker)).toBe("same page");
    await wall.screen.screenshot({ path: "test-results/map-crash-board.png" });
    // Said in words on the edge too, not by its colour alone.
    await expect(edge).toContainText("failing now");
    await page.screenshot({ path: "test-results/map-crash.png", fullPage: true });

    // The edge's figures: the hour's rate beside the last minutes', and why it is shown failing.
    await edge.dispatchEvent("click");
    const details = page.getByTestId("edge-details");
    await expect(details.getByRole("heading", { level: 2 })).toHaveText("Crash Caller → Crash Callee");
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
      await expect(callee).toContainText("✓ Healthy", { timeout: 5_000 });
      await expect(edge).not.toHaveAttribute("aria-label", /failing now/, { timeout: 1_000 });
      await expect(edge).not.toContainText("failing now", { timeout: 1_000 });
      await expect(wall.tile.getByRole("listitem", { name: /^Crash Caller calls Crash Callee: .*failing now/ })).toHaveCount(0, { timeout: 1_000 });
      await expect(boardNodes.getByText("Crash Callee")).toHaveCount(0, { timeout: 1_000 });
    }).toPass({ timeout: recentMinutesMs + withinCycles(2).timeout, intervals: [2_000, 5_000] });
    await page.screenshot({ path: "test-results/map-crash-recovered.png", fullPage: true });
  } finally {
    // A failed assertion above must not leave the fleet crash-looping for the specs after this one.
    if (!rolledBack) await deploy(page, "crash-callee", namespaceId, "1.0.0", "succeeded");
    await wall.close();
  }
});
