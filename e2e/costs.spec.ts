import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

test("an admin syncs cost and sees the month's figures, the trend, the breakdown and the sync's state", async ({ page }) => {
  test.setTimeout(300_000);
  await signInAs(page, "admin", "/costs");
  const origin = new URL(page.url()).origin;
  const sync = await page.request.post("/api/v1/costs/sync", { headers: { origin } });
  expect(sync.status()).toBe(202);
  // The worker runs the sync: wait for the stored rows, not for a fixed time.
  await expect
    .poll(async () => ((await (await page.request.get("/api/v1/costs")).json()) as { dataAsOf: string | null }).dataAsOf, {
      timeout: 240_000,
      intervals: [2_000],
    })
    .not.toBeNull();
  const view = (await (await page.request.get("/api/v1/costs?groupBy=cluster")).json()) as {
    totalMinor: number;
    lines: { totalMinor: number }[];
    currency: string;
  };
  expect(view.totalMinor).toBeGreaterThan(0);
  expect(view.lines.reduce((sum, line) => sum + line.totalMinor, 0)).toBe(view.totalMinor);

  await page.goto("/costs?groupBy=cluster");
  await expect(page.getByRole("heading", { name: "Cost", exact: true })).toBeVisible();
  await expect(page.getByText("Data as of:")).toBeVisible();
  await expect(page.getByText("Last sync:")).toBeVisible();
  await expect(page.getByTestId("cost-month-to-date")).not.toHaveText(/^\D*0\.00$/);
  await expect(page.getByRole("table", { name: /Cost by cluster/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("costs.png"), fullPage: true });

  const csv = await page.request.get("/api/v1/costs/export?groupBy=team");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toBe('"day","team","label","line","amount","currency"');
});

test("a bad grouping or range in the address shows what to change, not an error page", async ({ page }) => {
  await signInAs(page, "admin", "/costs?groupBy=colour");
  // Next's route announcer is an alert too: find ours by its text.
  await expect(page.getByRole("alert").filter({ hasText: "groupBy must be one of team, namespace, cluster, service" })).toBeVisible();
  await page.goto("/costs?from=2026-03-10&to=2026-03-01");
  await expect(page.getByRole("alert").filter({ hasText: "Swap them" })).toBeVisible();
  const api = await page.request.get("/api/v1/costs?groupBy=colour");
  expect(api.status()).toBe(400);
  expect(((await api.json()) as { error: { code: string } }).error.code).toBe("invalid_input");
});

test("a viewer in no team is refused cost", async ({ page }) => {
  await signInAs(page, "viewer");
  await expect(page.getByRole("link", { name: "Cost", exact: true })).toHaveCount(0);
  expect((await page.request.get("/api/v1/costs")).status()).toBe(403);
});
