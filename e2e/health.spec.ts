// Health pages and API, for what does not need the poller: filters kept in
// the address, bad filters refused with the allowed values, and the admin
// thresholds form stating every wrong value at once. (A deploy that turns a
// service unhealthy is covered once the poller lands.)
import { expect, test } from "@playwright/test";
import { signInAs } from "./fixtures";

test("the health filters live in the address, survive a reload, and a bad one says what is allowed", async ({ page }) => {
  await signInAs(page, "payments", "/health");
  await expect(page.getByRole("heading", { level: 1, name: "Health" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Health" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("navigation", { name: "Counts per state" })).toBeVisible();

  await page.getByLabel("Team").selectOption({ label: "My teams" });
  await page.getByLabel("Environment").selectOption("prod");
  await page.getByLabel("Health", { exact: true }).selectOption("unhealthy");
  await page.getByLabel("Tier").selectOption("critical");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/team=mine/);
  await expect(page).toHaveURL(/environment=prod/);
  await expect(page).toHaveURL(/status=unhealthy/);
  await expect(page).toHaveURL(/tier=critical/);
  await expect(page.getByTestId("count-unhealthy")).toHaveAttribute("aria-current", "true");

  await page.reload();
  await expect(page.getByLabel("Environment")).toHaveValue("prod");
  await expect(page.getByLabel("Health", { exact: true })).toHaveValue("unhealthy");
  await expect(page.getByLabel("Tier")).toHaveValue("critical");
  await expect(page.getByLabel("Team")).toHaveValue("mine");

  // A count is a link to the same view filtered to that state; the active one clears it.
  await page.getByTestId("count-unhealthy").click();
  await expect(page).not.toHaveURL(/status=/);
  await expect(page).toHaveURL(/environment=prod/);

  await page.goto("/health?status=green");
  await expect(page.getByRole("alert").filter({ hasText: "status must be" })).toContainText(
    "status must be one of healthy, degraded, unhealthy, unknown. Fix the address, or clear the filters.",
  );
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(/\/health$/);
});

test("GET /api/v1/health answers the page's filters and refuses a bad value with the allowed ones", async ({ page }) => {
  await signInAs(page, "viewer");
  const all = await page.request.get("/api/v1/health");
  expect(all.status()).toBe(200);
  const body = (await all.json()) as { entries: unknown[]; counts: Record<string, number>; pollSeconds: number };
  expect(Object.keys(body.counts).sort()).toEqual(["degraded", "healthy", "unhealthy", "unknown"]);
  expect(body.pollSeconds).toBeGreaterThan(0);

  for (const [query, message] of [
    ["environment=staging", "environment must be one of dev, test, prod."],
    ["status=green", "status must be one of healthy, degraded, unhealthy, unknown."],
    ["tier=gold", "tier must be one of critical, standard, experimental."],
  ] as const) {
    const response = await page.request.get(`/api/v1/health?${query}`);
    expect(response.status()).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(message);
  }

  const service = await page.request.get("/api/v1/services/payment-gateway");
  expect(service.status()).toBe(200);
  expect(Array.isArray(((await service.json()) as { environments: unknown }).environments)).toBe(true);

  const thresholds = (await (await page.request.get("/api/v1/health-thresholds")).json()) as { tiers: { tier: string }[] };
  expect(thresholds.tiers.map((tier) => tier.tier)).toEqual(["critical", "standard", "experimental"]);
  const refused = await page.request.put("/api/v1/health-thresholds", { data: { tier: "critical" }, headers: { origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(403);
});

test("an admin's thresholds form names every wrong value at once, and the API refuses the same with the field", async ({ page }) => {
  await signInAs(page, "admin", "/admin/health-thresholds");
  const form = page.getByRole("form", { name: "Health thresholds for critical services" });
  await form
    .getByRole("group", { name: /Failure rate/ })
    .getByLabel("Degraded at (%)")
    .fill("-1");
  await form
    .getByRole("group", { name: /Availability/ })
    .getByLabel("Degraded at (%)")
    .fill("101");
  await form
    .getByRole("group", { name: /p95 duration/ })
    .getByLabel("Unhealthy at (ms)")
    .fill("slow");
  await form.getByRole("button", { name: "Save critical" }).click();

  const problems = form.getByRole("alert");
  await expect(problems).toContainText("3 values need a change; nothing was saved");
  await expect(problems).toContainText("Failure rate thresholds cannot be negative.");
  await expect(problems).toContainText("Availability thresholds cannot be above 100 %.");
  await expect(problems).toContainText("p95 duration thresholds must be numbers (ms).");
  await expect(form.getByRole("group", { name: /Failure rate/ }).getByLabel("Degraded at (%)")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByRole("group", { name: /p95 duration/ }).getByLabel("Unhealthy at (ms)")).toHaveAttribute("aria-invalid", "true");

  const origin = new URL(page.url()).origin;
  const valid = {
    tier: "critical",
    failureRatePct: { degraded: 1, unhealthy: 5 },
    p95DurationMs: { degraded: 800, unhealthy: 2000 },
    availabilityPct: { degraded: 99, unhealthy: 95 },
    restarts: { degraded: 1, unhealthy: 5 },
    minRequests: 20,
  };
  const negative = await page.request.put("/api/v1/health-thresholds", {
    data: { ...valid, failureRatePct: { degraded: -1, unhealthy: 5 } },
    headers: { origin },
  });
  expect(negative.status()).toBe(400);
  expect(((await negative.json()) as { error: { message: string; path: string[] } }).error).toEqual({
    code: "invalid_input",
    message: "failureRatePct.degraded: Failure rate thresholds cannot be negative.",
    path: ["failureRatePct", "degraded"],
  });
  const text = await page.request.put("/api/v1/health-thresholds", { data: { ...valid, minRequests: "lots" }, headers: { origin } });
  expect(text.status()).toBe(400);
  expect(((await text.json()) as { error: { message: string } }).error.message).toContain("minRequests:");

  // Put right, it saves and says it is an admin's setting now; then back to the defaults.
  await form.getByRole("button", { name: "Fill in Wharf's defaults" }).click();
  await form
    .getByRole("group", { name: /Restarts/ })
    .getByLabel("Degraded at (restarts)")
    .fill("2");
  await form.getByRole("button", { name: "Save critical" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved. The next health evaluation uses them.");
  await expect(form).toContainText("Set by an admin");
  const saved = (await (await page.request.get("/api/v1/health-thresholds")).json()) as { tiers: { tier: string; restarts: { degraded: number } }[] };
  expect(saved.tiers.find((tier) => tier.tier === "critical")!.restarts.degraded).toBe(2);
  expect((await page.request.put("/api/v1/health-thresholds", { data: valid, headers: { origin } })).status()).toBe(200);
});

test("a team member cannot open the thresholds page", async ({ page }) => {
  await signInAs(page, "payments");
  const response = await page.goto("/admin/health-thresholds");
  expect(response?.status()).toBe(403);
});
