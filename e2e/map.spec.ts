// The application map end to end, with the health poller on a short cycle
// (WHARF_HEALTH_POLL_SECONDS in playwright.config.ts): the drone delivery
// services of the AKS reference architecture, deployed to dev, appear on /map
// with the calls between them (from the sandbox's telemetry through Log
// Analytics); search focuses a node; the service page shows its hop; a call
// the catalog no longer declares is marked and "add to the catalog" adds it.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { api, droneNamespace, signInAs } from "./fixtures";

const pollSeconds = Number(process.env.WHARF_E2E_HEALTH_POLL_SECONDS ?? 5);
const withinCycles = (cycles: number) => ({ timeout: (cycles * pollSeconds + 30) * 1000 });

type ServiceBody = { ownerTeam: { slug: string }; dependencies: ({ kind: "service"; service: string } | { kind: string; target: string })[] } & Record<
  string,
  unknown
>;

test("the drone delivery services and their calls on /map; search focuses a node; the service page shows its hop and adds an undeclared call to the catalog", async ({
  page,
  playwright,
}) => {
  test.setTimeout(600_000);
  await signInAs(page, "admin");
  const namespaceId = await droneNamespace(page, `drone-delivery-map${Date.now().toString(36)}`);

  // Workflow declares Package, Drone Scheduler and Delivery; deployed beside them, it calls all three.
  const deployments = [];
  for (const service of ["package", "delivery", "drone-scheduler", "workflow"]) {
    deployments.push(await api<{ id: string }>(page, "POST", "/api/v1/deployments", { service, namespaceId, tag: "1.0.0" }));
  }
  for (const deployment of deployments) {
    await expect
      .poll(async () => (await api<{ status: string }>(page, "GET", `/api/v1/deployments/${deployment.id}`)).status, { timeout: 120_000 })
      .toBe("succeeded");
  }

  // The catalog stops declaring Workflow → Delivery; the calls go on (they follow the deployed annotation).
  const workflow = await api<ServiceBody>(page, "GET", "/api/v1/services/workflow");
  // The service schema drops the view's other fields (id, uses, environments, …).
  await api(page, "PUT", "/api/v1/services/workflow", {
    ...workflow,
    ownerTeam: workflow.ownerTeam.slug,
    dependencies: workflow.dependencies.filter((dependency) => !("service" in dependency && dependency.service === "delivery")),
  });

  // /map: the four services and Workflow's three calls, within a few cycles of the deploys. The map is rebuilt (with the
  // catalog's declarations) once per health cycle, so Workflow → Delivery is marked undeclared from the first cycle that
  // ends after the change above; an edge already drawn from earlier telemetry is declared until then.
  const edge = (from: string, to: string) => page.locator(`.react-flow__edge[aria-label^="${from} calls ${to}:"]`);
  await expect(async () => {
    await page.goto("/map");
    // The map is drawn after hydration and its data's fetch: a few seconds on a loaded machine.
    for (const [to] of [["Package"], ["Drone Scheduler"], ["Delivery"]]) await expect(edge("Workflow", to!)).toHaveCount(1, { timeout: 5_000 });
    await expect(edge("Workflow", "Delivery")).toHaveAttribute("aria-label", /not declared in the catalog/, { timeout: 5_000 });
  }).toPass({ ...withinCycles(6), intervals: [2_000, 5_000] });
  const map = page.getByTestId("app-map");
  for (const name of ["Workflow", "Package", "Drone Scheduler", "Delivery"]) await expect(map.getByRole("link", { name, exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/map-drone-delivery.png", fullPage: true });

  // Clicking an edge shows its figures.
  await edge("Workflow", "Package").dispatchEvent("click");
  const details = page.getByTestId("edge-details");
  await expect(details.getByRole("heading", { level: 2 })).toHaveText("Workflow → Package");
  await expect(details).toContainText("Calls");
  await expect(details).toContainText("Failure %");
  await expect(details).toContainText("Declared in the catalog.");
  // Opening the edge asks Log Analytics for its top failing operations (one query per edge, shared by every viewer):
  // Package's operations as Workflow calls them, and the result codes.
  const operations = details.getByTestId("edge-operations");
  await expect(operations.getByRole("heading", { name: "Top failing operations" })).toBeVisible();
  const operationRows = operations.getByTestId("edge-operation");
  await expect(operationRows.first()).toContainText(/^(GET|POST|DELETE) \/api\//, { timeout: 30_000 });
  await expect(operations.getByTestId("edge-result-codes")).toContainText(/Result codes: 20[01] /);
  await expect(operations).toContainText(/shared with everyone viewing this edge/);
  await page.screenshot({ path: "test-results/map-edge-operations.png", fullPage: true });

  // A workspace that fails while an edge is opened: the panel says so, with a retry; once it answers, the retry shows the table
  // (the failure is kept for the edge's minute, so the retry may need to wait that out).
  const faultsEndpoint = (JSON.parse(readFileSync(".data/e2e/sandbox/endpoints.json", "utf8")) as { faultsEndpoint: string }).faultsEndpoint;
  const sandbox = await playwright.request.newContext({ ignoreHTTPSErrors: true });
  try {
    const faulted = await sandbox.put(faultsEndpoint, { data: { rules: [{ api: "logs", workspace: "log-wharf-nonprod", errorRate: 1, errorStatus: 503 }] } });
    expect(faulted.ok(), await faulted.text()).toBe(true);
    await edge("Workflow", "Delivery").dispatchEvent("click");
    await expect(details).toContainText("Undeclared");
    await expect(details.getByRole("button", { name: /Add delivery to workflow's declared dependencies/ })).toBeVisible();
    const failure = operations.getByRole("alert");
    await expect(failure).toContainText(
      /Could not load this edge's operations: Log Analytics did not answer for this edge: workspace log-wharf-nonprod: HTTP 503/,
    );
    await page.screenshot({ path: "test-results/map-edge-operations-failed.png", fullPage: true });
    await sandbox.delete(faultsEndpoint);
    await expect(async () => {
      await failure.getByRole("button", { name: "Try again" }).click({ timeout: 1_000 });
      await expect(operationRows.first()).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 120_000, intervals: [10_000] });
    await expect(operations.getByRole("alert")).toHaveCount(0);
  } finally {
    await sandbox.delete(faultsEndpoint);
    await sandbox.dispose();
  }

  // Search: Package and its neighbours one hop away; the rest dimmed; the search is in the URL.
  await page.getByLabel("Search a node").fill("package");
  await page.getByLabel("Hops").selectOption("1");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/focus=package/);
  await expect(page).toHaveURL(/hops=1/);
  await expect(page.getByRole("status").filter({ hasText: "Focused on Package" })).toBeVisible();
  await expect(map.locator("[data-focus=centre]")).toContainText("Package");
  // Delivery is not one hop from Package. The view is fitted to the focused nodes, so Delivery may lie outside it and
  // React Flow (onlyRenderVisibleElements) does not draw it; "Fit View" brings every node in, and it is dimmed.
  await map.getByRole("button", { name: "Fit View" }).click();
  await expect(map.locator("[data-focus=dimmed]").filter({ has: page.getByRole("link", { name: "Delivery", exact: true }) })).toHaveCount(1);
  await expect(map.locator(".react-flow__node").filter({ hasText: "Workflow" }).locator("[data-focus=dimmed]")).toHaveCount(0);
  await page.screenshot({ path: "test-results/map-search.png", fullPage: true });
  await page.goto("/map?focus=no-such-node&hops=2");
  await expect(page.getByRole("alert").filter({ hasText: 'No node on this map is called "no-such-node"' })).toBeVisible();

  // The service page: Workflow talks to the three, Delivery undeclared; one click declares it again.
  await page.goto("/catalog/workflow");
  const hop = page.getByRole("region", { name: "Talks to / called by (observed)" });
  const talksTo = hop.getByRole("region", { name: "Talks to" });
  for (const name of ["Package", "Drone Scheduler", "Delivery"]) await expect(talksTo.getByRole("link", { name, exact: true })).toBeVisible();
  const delivery = talksTo.getByTestId("neighbour-to").filter({ has: page.getByRole("link", { name: "Delivery", exact: true }) });
  await expect(delivery).toContainText("undeclared");
  await expect(delivery).toContainText(/calls/);
  await expect(delivery).toContainText(/% failed/);
  await expect(talksTo.getByTestId("neighbour-to").filter({ has: page.getByRole("link", { name: "Package", exact: true }) })).not.toContainText("undeclared");
  await page.screenshot({ path: "test-results/map-service-hop.png", fullPage: true });
  await delivery.getByRole("button", { name: /Add delivery to workflow's declared dependencies/ }).click();
  await expect(page).toHaveURL(/saved=declared/);
  await expect(page.getByRole("status").filter({ hasText: "Dependency added to the catalog." })).toBeVisible();
  await expect(talksTo.getByTestId("neighbour-to").filter({ has: page.getByRole("link", { name: "Delivery", exact: true }) })).not.toContainText("undeclared");
  expect((await api<ServiceBody>(page, "GET", "/api/v1/services/workflow")).dependencies).toContainEqual({ kind: "service", service: "delivery" });

  // Package's page: called by Workflow, with a link back.
  await page.goto("/catalog/package");
  const calledBy = page.getByRole("region", { name: "Talks to / called by (observed)" }).getByRole("region", { name: "Called by" });
  await calledBy.getByRole("link", { name: "Workflow", exact: true }).click();
  await expect(page).toHaveURL(/\/catalog\/workflow$/);
});
