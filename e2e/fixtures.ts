import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, type APIRequestContext, type Page } from "@playwright/test";
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

/**
 * From a failed rollout's page, rolls back through the history to `revision` and waits for the new deployment's page.
 * The rollback's answer is awaited on its own, so a refusal fails here with Wharf's message, and a slow answer on a
 * busy machine (the sandbox's poller shares the two cores) is not taken for a button that did nothing. The history
 * shows the earlier revision's "succeeded" badge too, so a rollout's status is read only once its own page is open.
 */
export async function rollBackFromHistory(page: Page, service: string, namespace: string, revision: number): Promise<void> {
  await page.getByRole("link", { name: "Roll back from the history" }).click();
  const answered = page.waitForResponse((response) => /\/api\/v1\/deployments\/[0-9a-f-]{36}\/rollback$/.test(response.url()), {
    timeout: 60_000,
  });
  await page.getByRole("button", { name: `Roll back ${service} in ${namespace} to revision ${revision}` }).click();
  const answer = await answered;
  expect(answer.status(), await answer.text()).toBe(201);
  await expect(page).toHaveURL(/\/deployments\/[0-9a-f-]{36}$/, { timeout: 30_000 });
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

/** A call to Wharf's API with the page's session (and Origin, as the browser sends it); fails the test on anything but 2xx. */
export async function api<T>(page: Page, method: "GET" | "POST" | "PUT" | "PATCH", path: string, data?: unknown): Promise<T> {
  const request: APIRequestContext = page.request;
  const headers = { origin: new URL(page.url()).origin };
  const response =
    method === "GET"
      ? await request.get(path)
      : method === "PUT"
        ? await request.put(path, { data, headers })
        : method === "PATCH"
          ? await request.patch(path, { data, headers })
          : await request.post(path, { data, headers });
  expect(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`).toBe(true);
  return (await response.json()) as T;
}

const smallQuota = { requestsCpu: "4", limitsCpu: "8", requestsMemory: "8Gi", limitsMemory: "16Gi", pods: "50", storage: "10Gi", loadBalancers: "0" };

/** A member requests a namespace for `team` on `cluster`, an admin approves it, and it is provisioned; its id. */
export async function readyNamespace(
  member: Page,
  admin: Page,
  namespace: { team: string; cluster: string; name: string; justification: string; quota?: Record<string, string> },
): Promise<string> {
  const { teams } = await api<{ teams: { id: string; slug: string }[] }>(member, "GET", "/api/v1/teams");
  const { clusters } = await api<{ clusters: { id: string; name: string }[] }>(member, "GET", "/api/v1/clusters");
  const request = await api<{ id: string }>(member, "POST", "/api/v1/namespace-requests", {
    teamId: teams.find((t) => t.slug === namespace.team)!.id,
    clusterId: clusters.find((c) => c.name === namespace.cluster)!.id,
    name: namespace.name,
    quota: namespace.quota ?? smallQuota,
    containerDefaults: { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" },
    justification: namespace.justification,
  });
  const { namespaceId } = await api<{ namespaceId: string }>(admin, "POST", `/api/v1/namespace-requests/${request.id}/decision`, { decision: "approve" });
  await expect
    .poll(async () => (await api<{ namespace: { status: string } }>(member, "GET", `/api/v1/namespaces/${namespaceId}`)).namespace.status, { timeout: 20_000 })
    .toBe("ready");
  return namespaceId;
}

type Policy = { environment: string; allowSelfApproval: boolean } & Record<string, unknown>;

/** Drone Delivery has no member persona: the admin requests its namespace and approves it, dev's policy allowing that for the test. */
export async function droneNamespace(admin: Page, name: string): Promise<string> {
  const policies = await api<Policy[]>(admin, "GET", "/api/v1/namespace-policies");
  const dev = policies.find((policy) => policy.environment === "dev")!;
  const { teams } = await api<{ teams: { id: string; slug: string }[] }>(admin, "GET", "/api/v1/teams");
  const { clusters } = await api<{ clusters: { id: string; name: string }[] }>(admin, "GET", "/api/v1/clusters");
  await api(admin, "PUT", "/api/v1/namespace-policies", { ...dev, allowSelfApproval: true });
  try {
    const request = await api<{ id: string }>(admin, "POST", "/api/v1/namespace-requests", {
      teamId: teams.find((team) => team.slug === "drone-delivery")!.id,
      clusterId: clusters.find((cluster) => cluster.name === "aks-dev-weu")!.id,
      name,
      quota: { requestsCpu: "8", limitsCpu: "16", requestsMemory: "16Gi", limitsMemory: "32Gi", pods: "50", storage: "10Gi", loadBalancers: "0" },
      containerDefaults: { requestCpu: "100m", requestMemory: "128Mi", limitCpu: "500m", limitMemory: "512Mi" },
      justification: "End-to-end test of the application map",
    });
    const { namespaceId } = await api<{ namespaceId: string }>(admin, "POST", `/api/v1/namespace-requests/${request.id}/decision`, { decision: "approve" });
    await expect
      .poll(async () => (await api<{ namespace: { status: string } }>(admin, "GET", `/api/v1/namespaces/${namespaceId}`)).namespace.status, { timeout: 30_000 })
      .toBe("ready");
    return namespaceId;
  } finally {
    await api(admin, "PUT", "/api/v1/namespace-policies", dev);
  }
}
