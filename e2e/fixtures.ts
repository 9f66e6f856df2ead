import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
  await hydrated(page);
}

/**
 * Waits until React has hydrated the page (components/shell/hydration-mark.tsx): a <select> chosen before that is
 * reset to its server-rendered default, which a loaded CI run hit on /health.
 */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1);
}

const endpoints = () => JSON.parse(readFileSync(".data/e2e/sandbox/endpoints.json", "utf8")) as { armEndpoint: string; caFile: string };

/** kubectl against the e2e sandbox's aks-dev-weu, as a platform engineer would check Wharf's work. */
export function kubectl(args: string[]): string {
  const tokens = JSON.parse(readFileSync(".data/e2e/sandbox/cluster-tokens.json", "utf8")) as Record<string, string>;
  const cluster = { server: `${new URL(endpoints().armEndpoint).origin}/k8s/aks-dev-weu`, token: tokens["aks-dev-weu"]! };
  const dir = mkdtempSync(join(tmpdir(), "wharf-e2e-"));
  const file = join(dir, "kubeconfig");
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name: "c", cluster: { server: cluster.server, "certificate-authority": endpoints().caFile } }],
      users: [{ name: "u", user: { token: cluster.token } }],
      contexts: [{ name: "c", context: { cluster: "c", user: "u" } }],
      "current-context": "c",
    }),
  );
  return execFileSync("/usr/bin/kubectl", ["--kubeconfig", file, ...args], { encoding: "utf8" });
}
