// Wall boards (issue 15): an admin makes a board and a display token; a
// fresh browser (the TV) opens the address, is left with a board-scoped
// cookie and the tiles, cannot read the API; the admin revokes the screen
// and it says so within 10 s. A wrong token gets its own page. A playlist's
// screen switches between its boards without a reload. A service that turns
// unhealthy changes its tile within 10 s of Wharf judging it so.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { smallDeploySpec } from "../lib/test-support/deploy-spec";
import { api, hydrated, readyNamespace, signInAs } from "./fixtures";

test("an admin puts a board on a screen, and revoking it reaches the screen within 10 s", async ({ page, browser, baseURL }) => {
  const slug = `wall-${randomBytes(3).toString("hex")}`;
  await signInAs(page, "admin", "/boards");
  const create = page.getByRole("form", { name: "Create a board" });
  await create.getByLabel("Name").fill("Ops wall");
  await create.getByLabel(/Slug/).fill(slug);
  await create.getByRole("button", { name: "Create board" }).click();
  await expect(page).toHaveURL(new RegExp(`/boards/${slug}$`));
  await expect(page.getByRole("heading", { name: "Ops wall" })).toBeVisible();

  // Two tiles: fleet health and a clock, placed by the editor and saved.
  await page.getByLabel("Tile", { exact: true }).selectOption("fleet-health");
  await page.getByRole("button", { name: "Add tile" }).click();
  await page.getByLabel("Tile", { exact: true }).selectOption("clock");
  await page.getByRole("button", { name: "Add tile" }).click();
  await expect(page.getByTestId(/^editor-tile-/)).toHaveCount(2);
  await page.getByRole("button", { name: "Save board" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();

  const addScreen = page.getByRole("form", { name: "Add a screen" });
  await addScreen.getByLabel("Screen label").fill("Lobby TV");
  await addScreen.getByRole("button", { name: "Create display token" }).click();
  const address = (await page.getByTestId("display-url").textContent())!.trim();
  expect(address).toContain(`/display/${slug}?token=wdt_`);

  // The TV: a fresh browser with no session.
  const tv = await browser.newContext();
  const screen = await tv.newPage();
  await screen.goto(address);
  await expect(screen).toHaveURL(`${baseURL}/display/${slug}`);
  await expect(screen.getByTestId("kiosk-board-name")).toHaveText("Ops wall");
  await expect(screen.getByRole("region", { name: "Fleet health" })).toBeVisible();
  await expect(screen.getByRole("region", { name: "Clock" })).toBeVisible();
  await expect(screen.getByTestId("clock-time")).toHaveText(/\d\d:\d\d/);
  await expect(screen.getByRole("region", { name: "Fleet health" }).getByTestId("tile-age")).toHaveText(/old|no data yet/);
  await expect(screen.getByTestId("kiosk-live")).toBeVisible();
  // An edit reaches the screen through its stream (decision 0041), without a reload.
  await screen.evaluate(() => ((window as unknown as { wharfMarker: string }).wharfMarker = "same page"));
  const renamed = await page.request.patch(`/api/v1/boards/${slug}`, { data: { name: "Ops wall, renamed" }, headers: { origin: new URL(baseURL!).origin } });
  expect(renamed.status(), await renamed.text()).toBe(200);
  await expect(screen.getByTestId("kiosk-board-name")).toHaveText("Ops wall, renamed", { timeout: 10_000 });
  expect(await screen.evaluate(() => (window as unknown as { wharfMarker?: string }).wharfMarker)).toBe("same page");
  expect(await screen.getByTestId("kiosk-board-name").evaluate((element) => getComputedStyle(element).cursor)).toBe("none");
  const fontSize = await screen.getByTestId("kiosk-board-name").evaluate((element) => parseFloat(getComputedStyle(element.closest(".fixed")!).fontSize));
  expect(fontSize).toBeGreaterThanOrEqual(24);

  const cookies = await tv.cookies();
  expect(cookies.map((cookie) => [cookie.name, cookie.path, cookie.httpOnly, cookie.sameSite])).toEqual([
    ["wharf_display", `/display/${slug}`, true, "Strict"],
  ]);
  // Neither the API nor another board, even with the cookie sent by hand.
  const token = cookies[0]!.value;
  expect((await tv.request.get("/api/v1/services", { headers: { cookie: `wharf_display=${token}` } })).status()).toBe(401);
  expect((await tv.request.get("/display/another-board/snapshot", { headers: { cookie: `wharf_display=${token}` } })).status()).toBe(403);

  // The admin revokes the screen; the screen says so within 10 s, without a reload.
  await page.reload();
  await hydrated(page);
  // Asked in an accessible dialog: Cancel changes nothing, Revoke revokes.
  await page.getByRole("button", { name: "Revoke screen Lobby TV" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Revoke screen “Lobby TV”?" });
  await expect(confirm).toContainText("It stops showing the board within seconds");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole("row", { name: "Screen Lobby TV" })).not.toContainText("revoked");
  await page.getByRole("button", { name: "Revoke screen Lobby TV" }).click();
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByRole("row", { name: "Screen Lobby TV" })).toContainText("revoked");
  await expect(screen.getByTestId("kiosk-refused")).toContainText("This screen was revoked", { timeout: 10_000 });

  // A wrong token: its own page, 401, no cookie.
  const other = await browser.newContext();
  const wrong = await (await other.newPage()).goto(`/display/${slug}?token=wdt_not-a-real-token`);
  expect(wrong!.status()).toBe(401);
  expect(await wrong!.text()).toContain("This display token is not valid");
  expect(await other.cookies()).toEqual([]);
  await tv.close();
  await other.close();
});

test("a new screen pairs with a code, as a TV app does", async ({ page, browser, baseURL }) => {
  const slug = `pair-${randomBytes(3).toString("hex")}`;
  await signInAs(page, "admin", "/boards");
  const create = page.getByRole("form", { name: "Create a board" });
  await create.getByLabel("Name").fill("Paired wall");
  await create.getByLabel(/Slug/).fill(slug);
  await create.getByRole("button", { name: "Create board" }).click();
  await expect(page).toHaveURL(new RegExp(`/boards/${slug}$`));

  const tv = await browser.newContext();
  const screen = await tv.newPage();
  await screen.goto("/display/pair");
  const code = (await screen.getByTestId("pairing-code").textContent())!.trim();
  expect(code).toMatch(/^[A-Z2-9]{3}-[A-Z2-9]{3}$/);

  const pair = page.getByRole("form", { name: "Pair a screen" });
  await pair.getByLabel("Code on the screen").fill("AAA-AAA");
  await pair.getByLabel("Screen label").fill("Kitchen TV");
  await pair.getByRole("button", { name: "Pair screen" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "No screen shows the code AAA-AAA" })).toBeVisible();
  await pair.getByLabel("Code on the screen").fill(code.toLowerCase());
  await pair.getByLabel("Screen label").fill("Kitchen TV");
  await pair.getByRole("button", { name: "Pair screen" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Paired" })).toBeVisible();

  await expect(screen).toHaveURL(`${baseURL}/display/${slug}`, { timeout: 10_000 });
  await expect(screen.getByTestId("kiosk-board-name")).toHaveText("Paired wall");
  expect((await tv.cookies()).map((cookie) => [cookie.name, cookie.path])).toEqual([["wharf_display", `/display/${slug}`]]);
  await tv.close();
});

test("a playlist's screen shows its boards in turn, switching without a reload, each with its own data age", async ({ page, browser, baseURL }) => {
  const suffix = randomBytes(3).toString("hex");
  const origin = new URL(baseURL!).origin;
  await signInAs(page, "admin", "/boards");
  // Two boards seeded through the API; the playlist made on the page.
  for (const [slug, name, tiles] of [
    [`first-${suffix}`, "First wall", [{ kind: "clock", id: "clock", x: 0, y: 0, w: 6, h: 3 }]],
    [`second-${suffix}`, "Second wall", [{ kind: "rollouts", id: "rollouts", x: 0, y: 0, w: 6, h: 4 }]],
  ] as const) {
    const response = await page.request.post("/api/v1/boards", { data: { slug, name, teamId: null, tiles }, headers: { origin } });
    expect(response.status(), await response.text()).toBe(201);
  }
  await page.reload();
  const create = page.getByRole("form", { name: "Create a playlist" });
  await create.getByLabel(/Slug/).fill(`turns-${suffix}`);
  await create.getByLabel("Name").fill("Turns");
  await create.getByLabel("Board to add").selectOption(`first-${suffix}`);
  await create.getByRole("button", { name: "Add board" }).click();
  await create.getByLabel("Board to add").selectOption(`second-${suffix}`);
  await create.getByRole("button", { name: "Add board" }).click();
  await create.getByLabel("Seconds for First wall").fill("10");
  await create.getByLabel("Seconds for Second wall").fill("10");
  await create.getByRole("button", { name: "Create playlist" }).click();
  await expect(page).toHaveURL(new RegExp(`/boards/turns-${suffix}$`));
  await expect(page.getByRole("heading", { name: "Turns" })).toBeVisible();

  const addScreen = page.getByRole("form", { name: "Add a screen" });
  await addScreen.getByLabel("Screen label").fill("Hall TV");
  await addScreen.getByRole("button", { name: "Create display token" }).click();
  const address = (await page.getByTestId("display-url").textContent())!.trim();
  expect(address).toContain(`/display/turns-${suffix}?token=wdt_`);

  const tv = await browser.newContext();
  const screen = await tv.newPage();
  await screen.goto(address);
  await expect(screen).toHaveURL(`${baseURL}/display/turns-${suffix}`);
  // A marker on the page's window survives a board switch only if the page was not reloaded.
  await screen.evaluate(() => ((window as unknown as { wharfMarker: string }).wharfMarker = "same page"));
  await expect(screen.getByTestId("kiosk-board-name")).toHaveText("First wall");
  await expect(screen.getByTestId("kiosk-playlist")).toHaveText("Turns · 1/2");
  await expect(screen.getByTestId("kiosk-board-name")).toHaveText("Second wall", { timeout: 15_000 });
  await expect(screen.getByTestId("kiosk-playlist")).toHaveText("Turns · 2/2");
  await expect(screen.getByRole("region", { name: "Rollouts" }).getByTestId("tile-age")).toHaveText(/old/);
  await expect(screen.getByTestId("kiosk-board-name")).toHaveText("First wall", { timeout: 15_000 });
  expect(await screen.evaluate(() => (window as unknown as { wharfMarker?: string }).wharfMarker)).toBe("same page");
  expect((await tv.cookies()).map((cookie) => [cookie.name, cookie.path])).toEqual([["wharf_display", `/display/turns-${suffix}`]]);
  // The playlist's cookie reads neither a board of its own on that board's address, nor the API.
  const token = (await tv.cookies())[0]!.value;
  expect((await tv.request.get(`/display/first-${suffix}/snapshot`, { headers: { cookie: `wharf_display=${token}` } })).status()).toBe(403);
  expect((await tv.request.get("/api/v1/boards", { headers: { cookie: `wharf_display=${token}` } })).status()).toBe(401);

  // Revoked: the screen says so within 10 s.
  await page.reload();
  await hydrated(page);
  await page.getByRole("button", { name: "Revoke screen Hall TV" }).click();
  await page.getByRole("alertdialog", { name: "Revoke screen “Hall TV”?" }).getByRole("button", { name: "Revoke" }).click();
  await expect(screen.getByTestId("kiosk-refused")).toContainText("This screen was revoked", { timeout: 10_000 });
  await tv.close();
});

test("a KQL tile whose query does not parse is refused with the parser's message; a good one is run by the poller and shown on the screen", async ({
  page,
  browser,
  baseURL,
}) => {
  test.setTimeout(300_000);
  const slug = `kql-${randomBytes(3).toString("hex")}`;
  const origin = new URL(baseURL!).origin;
  await signInAs(page, "admin", "/boards");
  const created = await page.request.post("/api/v1/boards", { data: { slug, name: "KQL wall", teamId: null }, headers: { origin } });
  expect(created.status(), await created.text()).toBe(201);
  // Through the API: a 400 naming the tile and the parser's message.
  const refused = await page.request.patch(`/api/v1/boards/${slug}`, {
    data: { tiles: [{ kind: "kql", id: "requests", x: 0, y: 0, w: 6, h: 4, workspace: "log-wharf-nonprod", query: "AppRequests | where" }] },
    headers: { origin },
  });
  expect(refused.status()).toBe(400);
  expect(((await refused.json()) as { error: { message: string; path: unknown[] } }).error).toMatchObject({
    message: expect.stringContaining('Tile "requests": The KQL query does not parse: Missing expression'),
    path: ["tiles", 0, "query"],
  });

  // Through the editor: the same refusal, then the fixed query saved. The workspaces are those the health cycle discovered (its
  // first cycle, at the next minute on a fresh server, can take a while under load), and right after a navigation the editor may
  // not be hydrated yet: retry both.
  await expect(async () => {
    await page.goto(`/boards/${slug}`);
    await page.getByLabel("Tile", { exact: true }).selectOption("kql");
    await page.getByRole("button", { name: "Add tile" }).click();
    await expect(page.getByLabel("Log Analytics workspace").locator("option", { hasText: "log-wharf-nonprod" })).toHaveCount(1, { timeout: 2_000 });
  }).toPass({ timeout: 150_000 });
  await page.getByLabel("Log Analytics workspace").selectOption("log-wharf-nonprod");
  await page.getByLabel("KQL query").fill("AppRequests | summarize n = count( by AppRoleName");
  await page.getByLabel("Chart").selectOption("table");
  await page.getByRole("button", { name: "Save board" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "does not parse" })).toContainText("The KQL query does not parse: Expected: )");
  await page.getByLabel("KQL query").fill("AppRequests | summarize n = count()");
  await page.getByRole("button", { name: "Save board" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved" })).toBeVisible();

  const addScreen = page.getByRole("form", { name: "Add a screen" });
  await addScreen.getByLabel("Screen label").fill("KQL TV");
  await addScreen.getByRole("button", { name: "Create display token" }).click();
  const address = (await page.getByTestId("display-url").textContent())!.trim();
  const tv = await browser.newContext();
  const screen = await tv.newPage();
  await screen.goto(address);
  // The health cycle (every 5 s here) runs the query; the screen shows the stored rows with their age, pushed without a reload.
  const tile = screen.getByRole("region", { name: "KQL chart" });
  await expect(tile.getByTestId("kql-table")).toContainText("n", { timeout: 60_000 });
  await expect(tile.getByTestId("tile-age")).toHaveText(/old/);
  await tv.close();
});

test("a service that turns unhealthy changes its tile on a screen within 10 s, without a reload; the tile draws its last 24 hours", async ({
  page,
  browser,
}) => {
  test.setTimeout(600_000);
  const id = randomBytes(3).toString("hex");
  // A service of its own with no App Insights role name (health from Kubernetes only), so no other test's telemetry is touched.
  const service = `wallsvc-${id}`;
  const namespace = `payments-wall${id}`;
  await signInAs(page, "payments");
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await signInAs(admin, "admin", "/boards");
  await api(page, "POST", "/api/v1/services", {
    slug: service,
    displayName: `Wall ${id}`,
    ownerTeam: "payments",
    tier: "standard",
    lifecycle: "production",
    deploySpec: smallDeploySpec("contoso.azurecr.io/payments/wall", { replicas: 2 }),
  });
  const namespaceId = await readyNamespace(page, admin, {
    team: "payments",
    cluster: "aks-dev-weu",
    name: namespace,
    justification: "End-to-end test of boards",
  });
  const deploy = async (tag: string, outcome: string) => {
    const { id: deploymentId } = await api<{ id: string }>(page, "POST", "/api/v1/deployments", { service, namespaceId, tag });
    await expect
      .poll(async () => (await api<{ status: string }>(page, "GET", `/api/v1/deployments/${deploymentId}`)).status, { timeout: 120_000 })
      .toBe(outcome);
  };
  await deploy("1.0.0", "succeeded");

  const slug = `svcwall-${id}`;
  await api(admin, "POST", "/api/v1/boards", {
    slug,
    name: "Service wall",
    teamId: null,
    tiles: [{ kind: "service-health", id: "svc", x: 0, y: 0, w: 8, h: 5, service }],
  });
  const { token } = await api<{ token: string }>(admin, "POST", `/api/v1/boards/${slug}/displays`, { label: "Team room" });
  const tv = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const screen = await tv.newPage();
  await screen.goto(`/display/${slug}?token=${token}`);
  const tile = screen.getByRole("region", { name: "One service's health" });
  const state = (name: string) => tile.getByText(name, { exact: true });
  await expect(state("healthy")).toBeVisible({ timeout: 120_000 });
  await screen.evaluate(() => ((window as unknown as { wharfMarker: string }).wharfMarker = "same page"));

  // The crash tag's pods crash-loop and the rollout fails. From the moment the health API says unhealthy, the tile has 10 s.
  await deploy("crash", "failed");
  const health = async () =>
    (await api<{ environments: { namespace: { name: string }; state: string }[] }>(page, "GET", `/api/v1/services/${service}`)).environments.find(
      (environment) => environment.namespace.name === namespace,
    )?.state;
  await expect.poll(health, { timeout: 120_000, intervals: [500] }).toBe("unhealthy");
  await expect(state("unhealthy")).toBeVisible({ timeout: 10_000 });
  expect(await screen.evaluate(() => (window as unknown as { wharfMarker?: string }).wharfMarker)).toBe("same page");
  // The 24-hour trend from the poller's samples; with no telemetry (no role name), the ready replicas. A point is a quarter
  // hour holding its fewest ready replicas, so its numbers depend on where the quarter hour fell: the samples taken while
  // 1.0.0 rolled out (0 ready) may share a point with the 2 ready after. The tile is checked against what the screen reads.
  await expect(async () => {
    const snapshot = (await (await screen.request.get(`/display/${slug}/snapshot`)).json()) as {
      boards: { tiles: Record<string, { environments: { namespace: string; trend: { readyReplicas: number | null }[] }[] }> }[];
    };
    const trend = snapshot.boards[0]!.tiles.svc!.environments.find((environment) => environment.namespace === namespace)!.trend;
    expect(trend).toHaveLength(96);
    const ready = trend.map((point) => point.readyReplicas);
    const known = ready.filter((value): value is number => value !== null);
    expect(known.length).toBeGreaterThan(0);
    const caption = `ready, 24 h: last 15 min ${ready.at(-1) ?? "–"}, peak ${Math.max(...known)}`;
    await expect(tile.getByTestId("service-trend")).toContainText(caption, { timeout: 5_000 });
  }).toPass({ timeout: 60_000 });
  await screen.screenshot({ path: "test-results/board-service-unhealthy.png" });
  await tv.close();
  await adminContext.close();
});
