// A big map in Chromium (decision 0077): a Wharf of its own (the e2e web server's health cycle would replace the map
// within seconds; here the worker is off) holding the benches' seeded fleet map of 420 nodes, more than the 300 above
// which a zoomed-out map is drawn as the overview on a canvas. The whole map opens fitted, as the overview, named for
// assistive technology; a hover names a box or an edge; a click on an edge shows its figures, a click on a box zooms in
// to xyflow's elements, the box's among them; "fit view" goes back to the overview.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";
import { startLauncher } from "./launcher-process";

/** The launcher's embedded PostgreSQL, from its data folder: the superuser's password file and the postmaster's port. */
function databaseUrl(dataDir: string): string {
  const pg = join(dataDir, "pg");
  const password = readFileSync(join(pg, "wharf-superuser-password"), "utf8").trim();
  const port = readFileSync(join(pg, "postmaster.pid"), "utf8").split("\n")[3]!.trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/wharf`;
}

test("a map of 420 nodes opens as the overview; a hover names a box or an edge, a click opens the edge's figures or zooms in to the box, fit view goes back", async ({
  page,
}) => {
  test.setTimeout(300_000);
  const launcher = await startLauncher({ WHARF_WORKER: "off", WHARF_WEB_PROCESSES: "1" });
  try {
    await launcher.said(/Wharf is ready at/, 180_000);
    const stored = spawnSync(process.execPath, ["--import", "tsx", join("e2e", "store-fleet-map.ts"), databaseUrl(launcher.dataDir), "400", "20"], {
      encoding: "utf8",
      timeout: 120_000,
    });
    expect(stored.status, `store-fleet-map.ts said:\n${stored.stdout}${stored.stderr}`).toBe(0);
    expect(stored.stdout).toContain("stored a map of 420 nodes");

    const base = `http://localhost:${launcher.port}`;
    await signInAs(page, "admin", `${base}/map`);
    const map = page.getByTestId("app-map");
    const overview = page.getByTestId("map-overview");
    await expect(overview).toBeVisible({ timeout: 30_000 });
    await expect(overview).toHaveAttribute("role", "img");
    await expect(overview).toHaveAttribute("aria-label", /^Overview of the map: 420 nodes \(400 healthy\) and \d+ edges/);
    await expect(page.getByTestId("map-overview-hint")).toContainText("420 nodes: zoomed out, the map is drawn as an overview");
    // The canvas stands in for the elements: none is drawn.
    await expect(map.locator(".react-flow__node")).toHaveCount(0);
    await expect(map.locator(".react-flow__edge")).toHaveCount(0);
    await map.scrollIntoViewIfNeeded();
    await page.screenshot({ path: "test-results/map-overview.png" });

    // A hover over a box names it, over an edge too; over empty space, nothing.
    const box = (await map.boundingBox())!;
    const tooltip = page.getByRole("tooltip");
    let hovered: { x: number; y: number } | null = null;
    let overEdge: { x: number; y: number; name: string } | null = null;
    for (let row = 1; row < 32 && !(hovered && overEdge); row++) {
      for (let column = 1; column < 32 && !(hovered && overEdge); column++) {
        const point = { x: box.x + (box.width * column) / 32, y: box.y + (box.height * row) / 32 };
        await page.mouse.move(point.x, point.y);
        if (!(await tooltip.isVisible())) continue;
        const text = await tooltip.innerText();
        if (text.includes("Click to zoom in on it.")) hovered ??= point;
        else if (text.includes("Click for its figures.")) overEdge ??= { ...point, name: text.split("\n")[0]! };
      }
    }
    expect(hovered, "some point of the fitted map is over a box").not.toBeNull();
    expect(overEdge, "some point of the fitted map is over an edge").not.toBeNull();
    // An edge's name: who calls whom and how much, as its element's accessible name says it ("team-1-svc-2 calls
    // team-3-svc-4: 1200 calls, 0.3 % failed").
    expect(overEdge!.name).toMatch(/^\S+ calls \S+: \d+ calls/);
    await page.mouse.move(overEdge!.x, overEdge!.y);
    await expect(tooltip).toContainText(overEdge!.name);
    await page.screenshot({ path: "test-results/map-overview-edge.png" });
    await page.mouse.click(overEdge!.x, overEdge!.y);
    const details = page.getByTestId("edge-details");
    await expect(details.getByRole("heading", { level: 2 })).toHaveText(
      `${overEdge!.name.split(" calls ")[0]} → ${overEdge!.name.split(" calls ")[1]!.split(":")[0]}`,
    );
    await expect(details).toContainText("Calls");
    // The selected edge is drawn again over the others, in the focus ring's colour.
    await page.mouse.move(box.x + 5, box.y + 5);
    await expect(page.getByTestId("map-edge-highlight")).toBeVisible();
    await page.screenshot({ path: "test-results/map-overview-edge-selected.png" });
    // Still the overview: an edge's click does not zoom.
    await expect(overview).toBeVisible();
    await page.mouse.move(hovered!.x, hovered!.y);
    // Its name, what it is, its health in words (a service's; an external dependency has none): "team-3-svc-4", "Team 3 ·
    // service", "✓ Healthy".
    await expect(tooltip).toContainText("Click to zoom in on it.");
    const [name, what] = (await tooltip.innerText()).split("\n");
    expect(what).toMatch(/^(Team \d+ · service|(SQL|Redis|Azure Service Bus|HTTP) · external)$/);
    if (what!.endsWith("service")) await expect(tooltip).toContainText("✓ Healthy");
    await page.mouse.move(box.x + 5, box.y + 5);
    await expect(tooltip).toHaveCount(0);

    // A click on the box zooms in on it: the elements are back, the box's among them, the canvas gone.
    await page.mouse.click(hovered!.x, hovered!.y);
    await expect(map.locator(".react-flow__node").getByText(name!, { exact: true })).toBeVisible({ timeout: 10_000 });
    await expect(overview).toHaveCount(0);
    // Once the zoom's 400 ms animation ends (the box's element shows before it does).
    const zoom = () =>
      map.locator(".react-flow__viewport").evaluate((element) => Number(/scale\(([\d.]+)\)/.exec((element as HTMLElement).style.transform)![1]));
    await expect.poll(zoom).toBe(1);
    // Only the nodes in view are elements, and the edges between them; the canvas under them draws the others.
    const drawn = await map.locator(".react-flow__node").count();
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(420);
    await expect(page.getByTestId("map-edges-canvas")).toHaveAttribute("aria-hidden", "true");
    // About 8 nodes in view, 9 edges between them (measured): not the long edges crossing the view, which the canvas draws.
    expect(await map.locator(".react-flow__edge").count()).toBeLessThan(50);
    await page.screenshot({ path: "test-results/map-overview-zoomed-in.png" });

    await page.getByRole("button", { name: "Fit view" }).click();
    await expect(overview).toBeVisible();
    await expect(map.locator(".react-flow__node")).toHaveCount(0);
  } finally {
    launcher.cleanUp();
  }
});
