// A role telemetry reports that no catalog service claims, end to end: a
// Deployment applied to a sandbox cluster by hand (not through Wharf) names its
// App Insights role; within a few health cycles /map lists it under "Roles no
// catalog service claims"; a wrong slug is refused with the reason; linking it
// to a service turns the unknown node into that service without waiting for
// the next cycle.
import { expect, test } from "@playwright/test";
import { hydrated, kubectl, signInAs } from "./fixtures";

const pollSeconds = Number(process.env.WHARF_E2E_HEALTH_POLL_SECONDS ?? 5);
const withinCycles = (cycles: number) => ({ timeout: (cycles * pollSeconds + 30) * 1000 });

test("an unknown role on /map is linked to a catalog service by an admin", async ({ page }) => {
  test.setTimeout(300_000);
  const id = Date.now().toString(36);
  const namespace = `legacy-${id}`;
  const role = `legacy-billing-${id}`;
  const slug = `billing-${id}`;

  // Someone ran a workload on the cluster by hand; it reports telemetry under its own role name.
  kubectl(["create", "namespace", namespace]);
  kubectl(["-n", namespace, "create", "deployment", "billing", "--image=contoso.azurecr.io/legacy/billing:1.0.0"]);
  kubectl(["-n", namespace, "set", "env", "deployment/billing", `OTEL_SERVICE_NAME=${role}`]);

  await signInAs(page, "admin");
  const origin = new URL(page.url()).origin;
  const created = await page.request.post("/api/v1/services", {
    data: { slug, displayName: `Billing ${id}`, ownerTeam: "payments", tier: "standard", lifecycle: "production" },
    headers: { origin },
  });
  expect(created.status(), await created.text()).toBe(201);

  const unknownRoles = page.getByRole("region", { name: /Roles no catalog service claims/ });
  const entry = unknownRoles.getByRole("listitem").filter({ hasText: role });
  await expect(async () => {
    await page.goto("/map");
    await expect(entry).toBeVisible({ timeout: 1_000 });
  }).toPass({ ...withinCycles(6), intervals: [2_000, 5_000] });
  await hydrated(page);
  await expect(entry).toContainText(/calls in this window/);
  await page.screenshot({ path: "test-results/map-unknown-role.png", fullPage: true });

  // A slug that names no service: refused, saying so; nothing linked.
  const form = entry.getByRole("form", { name: `Link the role ${role} to a service` });
  await form.getByLabel("Service (slug)").fill(`no-such-service-${id}`);
  await form.getByRole("button", { name: "Link to this service" }).click();
  await expect(form.getByRole("alert")).toContainText(`There is no service "no-such-service-${id}" in the catalog.`);

  await form.getByLabel("Service (slug)").fill(slug);
  await form.getByRole("button", { name: "Link to this service" }).click();
  await expect(entry.getByRole("status")).toContainText(`Linked: ${slug} now reports as "${role}"`);
  const service = (await (await page.request.get(`/api/v1/services/${slug}`)).json()) as { appInsightsRoleName: string | null };
  expect(service.appInsightsRoleName).toBe(role);

  // The map is rebuilt from its stored edges at once (a map.rebuild job), not at the next cycle's end: the node is the service.
  await expect(async () => {
    await page.goto("/map");
    await expect(page.getByTestId("app-map").getByRole("link", { name: `Billing ${id}`, exact: true })).toBeVisible({ timeout: 1_000 });
    await expect(unknownRoles.getByRole("listitem").filter({ hasText: role })).toHaveCount(0, { timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000, 3_000] });
  await page.screenshot({ path: "test-results/map-unknown-role-linked.png", fullPage: true });
});
