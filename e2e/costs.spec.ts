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
    lines: { totalMinor: number; forecastMinor: number | null }[];
    currency: string;
    forecast: { source: string; totalMinor: number | null; basis: string };
  };
  expect(view.totalMinor).toBeGreaterThan(0);
  expect(view.lines.reduce((sum, line) => sum + line.totalMinor, 0)).toBe(view.totalMinor);
  // The month's forecast is Cost Management's, and the lines' parts of it add up to it to the cent.
  expect(view.forecast).toMatchObject({ source: "cost-management", totalMinor: expect.any(Number) });
  expect(view.lines.reduce((sum, line) => sum + (line.forecastMinor ?? 0), 0)).toBe(view.forecast.totalMinor);

  await page.goto("/costs?groupBy=cluster");
  await expect(page.getByRole("heading", { name: "Cost", exact: true })).toBeVisible();
  await expect(page.getByText("Data as of:")).toBeVisible();
  await expect(page.getByText("Last sync:")).toBeVisible();
  await expect(page.getByTestId("cost-month-to-date")).not.toHaveText(/^\D*0\.00$/);
  await expect(page.getByTestId("cost-forecast")).toContainText("From Cost Management's Forecast API");
  await expect(page.getByTestId("cost-forecast-total")).not.toHaveText("—");
  await expect(page.getByRole("table", { name: /Cost by cluster/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Export CSV" })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath("costs.png"), fullPage: true });

  const csv = await page.request.get("/api/v1/costs/export?groupBy=team");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  expect((await csv.text()).split("\r\n")[0]).toBe('"day","team","label","line","amount","currency"');
});

test("a Payments member sets the team's budget: a wrong amount is refused with what to change, a good one shows on /costs", async ({ page }) => {
  test.setTimeout(300_000);
  // The budget's currency is the bill's: an admin syncs first (a second request while one runs queues nothing).
  await signInAs(page, "admin", "/costs");
  await page.request.post("/api/v1/costs/sync", { headers: { origin: new URL(page.url()).origin } });
  await expect
    .poll(async () => ((await (await page.request.get("/api/v1/costs")).json()) as { dataAsOf: string | null }).dataAsOf, {
      timeout: 240_000,
      intervals: [2_000],
    })
    .not.toBeNull();
  await page.context().clearCookies();

  await signInAs(page, "payments", "/costs");
  const form = page.getByRole("form", { name: "Set a team's monthly budget" });
  await expect(form).toBeVisible();
  await form.getByLabel("Team").selectOption({ label: "Payments" });
  await form.getByLabel(/Monthly budget/).fill("-250");
  await form.getByLabel("Alert at % of actual").fill("80, 100");
  await form.getByRole("button", { name: "Set budget" }).click();
  await expect(form.getByRole("alert")).toContainText("more than 0");
  await expect(form.getByLabel(/Monthly budget/)).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel(/Monthly budget/)).toHaveValue("-250");

  await form.getByLabel(/Monthly budget/).fill("1500");
  await form.getByRole("button", { name: "Set budget" }).click();
  await expect(form.getByRole("status")).toContainText("Budget of Payments set to");
  const row = page.getByTestId("budget-payments");
  await expect(row).toBeVisible();
  await expect(row).toContainText("1,500.00");
  await expect(row).toContainText("actual 80, 100 %");
  await page.screenshot({ path: test.info().outputPath("costs-budget.png"), fullPage: true });

  // The team page shows the month to date against the budget, its part of Cost Management's forecast, and a link to change it.
  await page.goto("/teams/payments");
  const card = page.getByRole("region", { name: /Cost and budget/ });
  await expect(card).toBeVisible();
  await expect(card.getByTestId("team-budget-amount")).toContainText("1,500.00");
  await expect(card.getByTestId("team-cost-month-to-date")).toHaveText(/\d/);
  await expect(card).toContainText("Forecast for the month (Cost Management)");
  await expect(card).toContainText("this share of its month-to-date allocated cost");
  await expect(card.getByRole("meter", { name: "Budget used" })).toBeVisible();
  await card.getByRole("link", { name: "Change the budget" }).click();
  await expect(page).toHaveURL(/\/costs\?budgetTeam=payments#set-budget/);
  await expect(page.getByRole("form", { name: "Set a team's monthly budget" }).getByLabel("Team")).toHaveValue("payments");

  // The API says the same, and refuses text and a threshold over 1000 % with a field error.
  const origin = new URL(page.url()).origin;
  const list = (await (await page.request.get("/api/v1/costs/budgets")).json()) as { budgets: { team: string; amountMinor: number }[] };
  expect(list.budgets.find((budget) => budget.team === "payments")?.amountMinor).toBe(150_000);
  const text = await page.request.put("/api/v1/costs/budgets/payments", { headers: { origin }, data: { amount: "a lot" } });
  expect(text.status()).toBe(400);
  expect(((await text.json()) as { error: { path: string[] } }).error.path).toEqual(["amount"]);
  const over = await page.request.put("/api/v1/costs/budgets/payments", { headers: { origin }, data: { amount: 10, actualThresholds: [1200] } });
  expect(over.status()).toBe(400);
  expect(((await over.json()) as { error: { message: string } }).error.message).toContain("at most 1000 %");
  // Another team's budget is not a Payments member's to set.
  expect((await page.request.put("/api/v1/costs/budgets/orders", { headers: { origin }, data: { amount: 10 } })).status()).toBe(403);
});

test("an admin shares idle capacity by requests: the stored months are recomputed; a member reads which rule applies", async ({ page }) => {
  test.setTimeout(300_000);
  await signInAs(page, "admin", "/costs");
  const origin = new URL(page.url()).origin;
  await page.request.post("/api/v1/costs/sync", { headers: { origin } });
  await expect
    .poll(async () => ((await (await page.request.get("/api/v1/costs")).json()) as { dataAsOf: string | null }).dataAsOf, {
      timeout: 240_000,
      intervals: [2_000],
    })
    .not.toBeNull();
  await page.goto("/costs");
  const card = page.getByTestId("allocation-rule");
  await expect(card.getByTestId("allocation-rule-current")).toContainText("Idle capacity is shown as a line of its own");
  const form = page.getByRole("form", { name: "Choose how idle and system cost are allocated" });
  await form
    .getByRole("group", { name: "Idle capacity" })
    .getByRole("radio", { name: /^Proportional/ })
    .check();
  await form.getByRole("button", { name: "Save the rule" }).click();
  await expect(form.getByRole("status")).toContainText("are being recomputed");
  await expect(card.getByTestId("allocation-rule-current")).toContainText("Idle capacity is shared among the workload namespaces in proportion");

  // The cost.sample job (each minute) re-allocates the marked months; every view still adds up to the bill.
  await expect
    .poll(async () => ((await (await page.request.get("/api/v1/costs/allocation-rule")).json()) as { pendingMonths: string[] }).pendingMonths, {
      timeout: 180_000,
      intervals: [3_000],
    })
    .toEqual([]);
  const view = (await (await page.request.get("/api/v1/costs?groupBy=namespace")).json()) as {
    rule: { idle: string };
    totalMinor: number;
    lines: { totalMinor: number }[];
  };
  expect(view.rule.idle).toBe("proportional");
  expect(view.lines.reduce((sum, line) => sum + line.totalMinor, 0)).toBe(view.totalMinor);
  await page.context().clearCookies();

  await signInAs(page, "payments", "/costs");
  await expect(page.getByTestId("allocation-rule-current")).toContainText("Idle capacity is shared among the workload namespaces in proportion");
  await expect(page.getByTestId("allocation-rule-current")).toContainText("A platform admin chooses this.");
  await expect(page.getByRole("form", { name: "Choose how idle and system cost are allocated" })).toHaveCount(0);
  const refused = await page.request.put("/api/v1/costs/allocation-rule", { headers: { origin }, data: { idle: "apart", system: "apart" } });
  expect(refused.status()).toBe(403);
  await page.context().clearCookies();

  // Back to apart, as the other specs expect.
  await signInAs(page, "admin", "/costs");
  const bad = await page.request.put("/api/v1/costs/allocation-rule", { headers: { origin }, data: { idle: "some", system: "apart" } });
  expect(bad.status()).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toBe("idle must be one of proportional, even, apart.");
  expect((await page.request.put("/api/v1/costs/allocation-rule", { headers: { origin }, data: { idle: "apart", system: "apart" } })).status()).toBe(200);
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
