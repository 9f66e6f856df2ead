import { expect, test } from "@playwright/test";
import { persona, signInAs } from "./fixtures";

const expectedRoles = [
  { key: "payments", role: "Member of Payments" },
  { key: "orders", role: "Member of Orders" },
  { key: "both", role: "Member of Orders, Payments" },
  { key: "admin", role: "Platform admin" },
  { key: "viewer", role: "Viewer" },
  { key: "overage", role: "Member of Payments" },
] as const;

test.describe("signing in through the sandbox", () => {
  for (const { key, role } of expectedRoles) {
    test(`${key} sees their name and role`, async ({ page }) => {
      await signInAs(page, key);
      await expect(page.getByTestId("user-role")).toHaveText(role);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Welcome, ${persona(key).name}`);
      await expect(page.getByTestId("sandbox-marker")).toBeVisible();
    });
  }

  test("returns to the page the user asked for", async ({ page }) => {
    await signInAs(page, "payments", "/teams/payments");
    await expect(page).toHaveURL(/\/teams\/payments$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Payments");
    await expect(page.getByRole("cell", { name: "Priya Shah" })).toBeVisible();
  });

  test("cancelling at the identity provider explains what happened", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByRole("link", { name: /sign in with the sandbox identity provider/i }).click();
    await page.getByRole("button", { name: "Cancel" }).click();
    await expect(page.getByRole("heading", { name: "Sign-in was cancelled" })).toBeVisible();
    await expect(page.getByRole("link", { name: "Try signing in again" })).toBeVisible();
  });

  test("a callback with a forged state is refused with an explanation", async ({ page }) => {
    await page.goto("/sign-in");
    await page.getByRole("link", { name: /sign in with the sandbox identity provider/i }).click();
    await expect(page.getByRole("heading", { name: "Sign in to the Wharf sandbox" })).toBeVisible();
    await page.goto("/auth/callback?code=forged&state=not-the-one-we-sent");
    await expect(page.getByRole("heading", { name: "This sign-in could not be verified" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText("at Object");
  });
});

test.describe("permissions", () => {
  test("a viewer opening an admin page gets a 403 page that says whom to ask, and where they are listed", async ({ page, browser }) => {
    // An admin who has signed in, so that the list the refusal points at has someone in it.
    const admin = await browser.newContext();
    await signInAs(await admin.newPage(), "admin");
    await admin.close();

    await signInAs(page, "viewer");
    const response = await page.goto("/admin/audit");
    expect(response?.status()).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have access to this page" })).toBeVisible();
    await expect(page.getByTestId("refusal")).toHaveText(
      "Only a platform admin can open the admin pages. Ask a platform admin (the Teams page lists them: /teams#platform-admins) to do what you came here for.",
    );
    const api = await page.request.get("/api/v1/audit-events");
    expect(api.status()).toBe(403);
    expect((await api.json()).error).toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(
        /^Only a platform admin can read the audit log\. Ask a platform admin \(the Teams page lists them: \/teams#platform-admins\)/,
      ),
    });

    await page.getByRole("link", { name: "See the platform admins" }).click();
    await expect(page).toHaveURL(/\/teams#platform-admins$/);
    await expect(page.getByTestId("platform-admins")).toContainText(persona("admin").name);
    const admins = await page.request.get("/api/v1/platform-admins");
    expect(admins.status()).toBe(200);
    expect(((await admins.json()) as { admins: { name: string }[] }).admins.map((one) => one.name)).toContain(persona("admin").name);
  });

  test("the refusal is in the audit log for admins", async ({ page, browser }) => {
    await signInAs(page, "viewer");
    await page.goto("/admin/teams");
    const admin = await browser.newContext();
    const adminPage = await admin.newPage();
    await signInAs(adminPage, "admin");
    await adminPage.goto("/admin/audit?actor=Victor");
    await expect(adminPage.getByRole("row").filter({ hasText: "team:update" }).first()).toContainText("denied");
    await admin.close();
  });
});

test.describe("sessions", () => {
  test("after sign-out the old cookie no longer works", async ({ page, context, playwright }) => {
    await signInAs(page, "payments");
    const cookie = (await context.cookies()).find((c) => c.name === "wharf_session");
    expect(cookie).toBeDefined();
    await page.getByTestId("user-menu").click();
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "You are signed out" })).toBeVisible();

    const replay = await playwright.request.newContext({ baseURL: page.url(), extraHTTPHeaders: { cookie: `wharf_session=${cookie!.value}` } });
    const me = await replay.get("/api/v1/me");
    expect(me.status()).toBe(401);
    await replay.dispose();
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test("a tampered session cookie is refused", async ({ page, context }) => {
    await signInAs(page, "orders");
    const cookie = (await context.cookies()).find((c) => c.name === "wharf_session")!;
    const tampered = cookie.value.slice(0, -2) + (cookie.value.endsWith("AA") ? "BB" : "AA");
    await context.addCookies([{ ...cookie, value: tampered }]);
    expect((await page.request.get("/api/v1/me")).status()).toBe(401);
    await page.goto("/teams");
    await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fteams/);
  });

  test("sign-out from another site is refused", async ({ page }) => {
    await signInAs(page, "payments");
    const response = await page.request.post("/auth/sign-out", { headers: { origin: "https://evil.example" } });
    expect(response.status()).toBe(403);
    expect((await page.request.get("/api/v1/me")).status()).toBe(200);
  });
});
