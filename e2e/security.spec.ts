import { readFileSync } from "node:fs";
import { expect, test, type APIResponse, type Page } from "@playwright/test";
import { signInAs } from "./fixtures";
import { postUntilAnswered } from "./raw-http";

// Issue 19: security headers on every response, server actions refused
// without Wharf's Origin, the return address after sign-in kept on Wharf.

function expectCommonHeaders(response: APIResponse, what: string) {
  const headers = response.headers();
  expect.soft(headers["x-frame-options"], what).toBe("DENY");
  expect.soft(headers["x-content-type-options"], what).toBe("nosniff");
  expect.soft(headers["referrer-policy"], what).toBe("strict-origin-when-cross-origin");
  expect.soft(headers["content-security-policy"], what).toContain("frame-ancestors 'none'");
  // This Wharf is served over http: HSTS would be ignored, and is only sent behind https.
  expect.soft(headers["strict-transport-security"], what).toBeUndefined();
}

function expectPageHeaders(response: APIResponse, body: string, what: string) {
  expectCommonHeaders(response, what);
  const policy = response.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce, `${what}: a nonce in ${policy}`).toBeTruthy();
  expect.soft(policy, what).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
  expect.soft(policy, what).not.toContain("unsafe-eval");
  // Next put this response's nonce on every script it rendered.
  const scripts = [...body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
  expect(scripts.length, what).toBeGreaterThan(0);
  for (const script of scripts) expect.soft(script, what).toContain(`nonce="${nonce}"`);
}

function expectApiHeaders(response: APIResponse, what: string) {
  expectCommonHeaders(response, what);
  expect.soft(response.headers()["content-security-policy"], what).toContain("default-src 'none'");
  expect.soft(response.headers()["cache-control"], what).toContain("no-store");
}

test("every kind of response carries the security headers", async ({ page, request }) => {
  for (const path of ["/sign-in", "/auth/error?reason=state_mismatch", "/signed-out", "/no-such-page"]) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(500);
    expectPageHeaders(response, await response.text(), path);
  }
  for (const path of ["/api/v1/me", "/api/v1/services", "/api/v1/openapi.json", "/api/v1/no-such-thing", "/api/healthz"]) {
    expectApiHeaders(await request.get(path), path);
  }
  const redirect = await request.get("/catalog", { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectCommonHeaders(redirect, "the redirect to sign-in");
  const signInStart = await request.get("/auth/sign-in?returnTo=%2F", { maxRedirects: 0 });
  expect(signInStart.status()).toBe(307);
  expectCommonHeaders(signInStart, "the redirect to the identity provider");

  await signInAs(page, "viewer");
  for (const path of ["/", "/catalog", "/api-docs", "/admin/clusters", "/catalog/no-such-service"]) {
    const response = await page.request.get(path);
    expectPageHeaders(response, await response.text(), `${path} signed in (${response.status()})`);
  }
  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  expectApiHeaders(me, "/api/v1/me signed in");
  const refused = await page.request.post("/api/v1/teams", { data: {} });
  expect(refused.status()).toBe(403);
  expectApiHeaders(refused, "a refused POST");
});

/** Collects what the browser reports about the Content Security Policy, and uncaught errors. */
function watchForViolations(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy|CSP violation/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

test("pages render and hydrate under the Content Security Policy, with no violation reported", async ({ page }) => {
  const problems = watchForViolations(page);
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`),
    );
  });
  await signInAs(page, "payments", "/catalog");
  await expect(page.getByRole("heading", { name: "Catalog", exact: true })).toBeVisible();
  // Hydrated: the user menu opens (a Radix dropdown, client-side only).
  await page.getByTestId("user-menu").click();
  await expect(page.getByRole("menu")).toBeVisible();
  await page.keyboard.press("Escape");
  await page.goto("/catalog/new");
  await expect(page.getByRole("button", { name: "Register service" })).toBeEnabled();
  await page.goto("/namespaces");
  await page.goto("/api-docs");
  await page.screenshot({ path: "test-results/security-csp-api-docs.png", fullPage: true });
  expect(problems).toEqual([]);
});

test("a signed-in user asking for a return address off Wharf is sent home", async ({ page }) => {
  await signInAs(page, "viewer");
  for (const returnTo of [
    "/%09/evil.example/phish",
    "/%09%5Cevil.example",
    "//evil.example",
    "/%5Cevil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/%0A/evil.example",
  ]) {
    const response = await page.request.get(`/sign-in?returnTo=${returnTo}`, { maxRedirects: 0 });
    expect(response.status(), returnTo).toBe(307);
    expect(response.headers().location, returnTo).toBe("/");
  }
  const kept = await page.request.get(`/sign-in?returnTo=${encodeURIComponent("/catalog?q=pay")}`, { maxRedirects: 0 });
  expect(kept.headers().location).toBe("/catalog?q=pay");
});

test("the sign-in error page shows only what Wharf wrote for each code, nothing from the address", async ({ page }) => {
  const phishing = "Your account is locked. Re-enter your password at https://evil.example/login";
  await page.goto(`/auth/error?reason=idp_error&detail=${encodeURIComponent(phishing)}`);
  await expect(page.getByRole("heading", { name: "The identity provider refused the sign-in" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("locked");
  await expect(page.locator("body")).not.toContainText("evil.example");
  for (const reason of ["constructor", "__proto__", "<b>bold</b>"]) {
    await page.goto(`/auth/error?reason=${encodeURIComponent(reason)}`);
    await expect(page.getByRole("heading", { name: "The identity provider refused the sign-in" })).toBeVisible();
    await expect(page.locator("body")).not.toContainText(reason);
  }
  await page.goto("/auth/error?reason=state_mismatch");
  await expect(page.getByRole("heading", { name: "This sign-in could not be verified" })).toBeVisible();
});

test("a 10 MB JSON body is answered 413, not 400", async ({ page }) => {
  await signInAs(page, "admin");
  const response = await page.request.post("/api/v1/teams", {
    headers: { origin: new URL(page.url()).origin, "content-type": "application/json" },
    data: `{"slug":"${"x".repeat(10 * 1024 * 1024)}"}`,
  });
  expect(response.status()).toBe(413);
  expect((await response.json()).error.code).toBe("payload_too_large");
});

test("an oversized API body is refused before it is read: a declared one at once, a streamed one at the limit", async ({ page }) => {
  await signInAs(page, "admin");
  const cookie = (await page.context().cookies()).map(({ name, value }) => `${name}=${value}`).join("; ");
  const url = new URL("/api/v1/teams", page.url()).toString();

  // Only 2 MB of the declared 10 MB are ever sent: an answer must not wait for the rest.
  const declared = await postUntilAnswered(url, { cookie, declared: true, total: 2 * 1024 * 1024 });
  expect(declared.status, declared.body).toBe(413);
  expect(JSON.parse(declared.body).error).toMatchObject({ code: "payload_too_large", message: expect.stringContaining("larger than 1 MB") });
  // proxy.ts does not see these requests; withAuth gives the answer the same headers.
  expect(declared.headers).toMatchObject({
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "content-security-policy": expect.stringContaining("default-src 'none'"),
  });

  // A chunked body that would go on for 200 MB is answered long before its end.
  const streamed = await postUntilAnswered(url, { cookie, declared: false, total: 200 * 1024 * 1024 });
  expect(streamed.status, streamed.body).toBe(413);
  expect(streamed.sent).toBeLessThan(200 * 1024 * 1024);
  expect(JSON.parse(streamed.body).error.code).toBe("payload_too_large");
});

test("bad text in an address, a query or a body is a 400 that says what to change, never a 500", async ({ page }) => {
  await signInAs(page, "admin");
  for (const path of [
    "/catalog/%C0%AF",
    "/api/v1/services/%C0%AF",
    "/api/v1/services/%ZZ",
    "/catalog/%ZZ",
    "/api/v1/services/%00",
    "/catalog/a%00b",
    "/api/v1/services?q=%00",
    "/api/v1/audit-events?before=99999999999999999999",
  ]) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(400);
    expect((await response.json()).error.code, path).toBe("invalid_input");
  }
  const origin = new URL(page.url()).origin;
  const team = await page.request.post("/api/v1/teams", { headers: { origin }, data: { slug: "nul-team", name: "Nul\u0000Team", entraGroupIds: [] } });
  expect(team.status()).toBe(400);
  expect((await team.json()).error).toMatchObject({ code: "invalid_input", path: ["name"] });
  for (const name of ["☃", 'payments"; filename=evil.html']) {
    const exported = await page.request.get(`/api/v1/catalog-info.yaml?team=${encodeURIComponent(name)}`);
    expect(exported.status(), name).toBeLessThan(500);
    const disposition = exported.headers()["content-disposition"];
    if (disposition) expect(disposition.match(/;/g), disposition).toHaveLength(2);
  }
});

interface ManifestEntry {
  workers: Record<string, unknown>;
}

/** Every server action in the build, with a page that uses it: a new action is covered without touching this test. */
function serverActions(): { id: string; path: string }[] {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as { node: Record<string, ManifestEntry> };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const page = Object.keys(entry.workers)[0] ?? "app/page";
    const path = page
      .replace(/^app/, "")
      .replace(/\/page$/, "")
      .replace(/\/\([^)]+\)/g, "")
      .replace(/\[[^\]]+\]/g, "payments");
    return { id, path: path || "/" };
  });
}

test("no server action runs without Wharf's Origin: 403, not Next's 500", async ({ page }) => {
  await signInAs(page, "admin");
  const actions = serverActions();
  expect(actions.length).toBeGreaterThanOrEqual(13);
  for (const { id, path } of actions) {
    for (const origin of [undefined, "https://evil.example", "null"]) {
      const response = await page.request.post(path, {
        headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", ...(origin ? { origin } : {}) },
        data: "[]",
        maxRedirects: 0,
      });
      expect(response.status(), `${path} ${id} Origin ${origin ?? "missing"}`).toBe(403);
      expect((await response.json()).error.code).toBe("forbidden");
    }
  }
});

test("an admin's own change of a cluster's environment, replayed without Origin, is refused and changes nothing", async ({ page }) => {
  await signInAs(page, "admin", "/admin/clusters");
  await page.getByRole("button", { name: "Discover clusters now" }).click();
  await expect(page.getByRole("status")).toContainText("Found 3 clusters");
  const environmentOf = async (name: string) => {
    const { clusters } = (await (await page.request.get("/api/v1/clusters")).json()) as { clusters: { name: string; environment: string | null }[] };
    return clusters.find((cluster) => cluster.name === name)?.environment;
  };
  const before = await environmentOf("aks-lab-neu");
  const wanted = before === "test" ? "dev" : "test";

  // Capture the request the page really sends, without letting it through.
  let captured: { url: string; headers: Record<string, string>; body: Buffer } | undefined;
  await page.route("**/admin/clusters", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    captured = { url: route.request().url(), headers: await route.request().allHeaders(), body: route.request().postDataBuffer()! };
    await route.abort();
  });
  const row = page.getByRole("row").filter({ hasText: "aks-lab-neu" });
  await row.getByLabel("Environment of aks-lab-neu", { exact: true }).selectOption(wanted);
  await row.getByRole("button", { name: "Save the environment of aks-lab-neu" }).click();
  await expect.poll(() => captured).toBeTruthy();

  const { origin, ...withoutOrigin } = captured!.headers;
  expect(origin).toBe(new URL(captured!.url).origin);
  for (const headers of [withoutOrigin, { ...withoutOrigin, origin: "https://evil.example" }]) {
    const replay = await page.request.post(captured!.url, { headers, data: captured!.body, maxRedirects: 0 });
    expect(replay.status()).toBe(403);
    expect(await environmentOf("aks-lab-neu")).toBe(before);
  }
  // The same request with its Origin does what the admin meant: the replay above was a valid one.
  const genuine = await page.request.post(captured!.url, { headers: captured!.headers, data: captured!.body, maxRedirects: 0 });
  expect(genuine.status()).toBe(200);
  expect(await environmentOf("aks-lab-neu")).toBe(wanted);
});
