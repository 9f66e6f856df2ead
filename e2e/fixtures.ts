import { expect, type Page } from "@playwright/test";
import { sandboxPersonas, type PersonaKey } from "../sandbox/personas";

export function persona(key: PersonaKey) {
  const found = sandboxPersonas.find((p) => p.key === key);
  if (!found) throw new Error(`unknown persona ${key}`);
  return found;
}

/** Signs in through the sandbox identity provider, as a user would. */
export async function signInAs(page: Page, key: PersonaKey, path = "/"): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL(/\/sign-in/);
  await page.getByRole("link", { name: /sign in with the sandbox identity provider/i }).click();
  await expect(page.getByRole("heading", { name: "Sign in to the Wharf sandbox" })).toBeVisible();
  await page.getByRole("button", { name: new RegExp(`^Sign in as ${persona(key).name},`) }).click();
  await expect(page.getByTestId("user-name")).toHaveText(persona(key).name);
}
