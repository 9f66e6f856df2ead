import { expect, test } from "@playwright/test";
import { hydrated, signInAs } from "./fixtures";

// Issue 17 item 8: the theme toggle's label names the theme it switches to, also after a reload, when only the browser
// knows the theme (the server rendered the page without it).
test("the theme toggle's label follows the theme after a reload", async ({ page }) => {
  await signInAs(page, "viewer");
  const html = page.locator("html");
  // The browser's colour scheme is light (Playwright's default), so the system theme is light.
  await expect(page.getByRole("button", { name: "Switch to dark theme" })).toBeVisible();
  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(page.getByRole("button", { name: "Switch to light theme" })).toBeVisible();

  await page.reload();
  await hydrated(page);
  await expect(html).toHaveClass(/\bdark\b/);
  await expect(page.getByRole("button", { name: "Switch to light theme" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Switch to dark theme" })).toHaveCount(0);

  await page.getByRole("button", { name: "Switch to light theme" }).click();
  await page.reload();
  await hydrated(page);
  await expect(html).not.toHaveClass(/\bdark\b/);
  await expect(page.getByRole("button", { name: "Switch to dark theme" })).toBeVisible();
});
