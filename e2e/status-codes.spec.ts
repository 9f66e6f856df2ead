// The status a page carries when something is wrong (issue 19, decision 0062):
// a filter a list page cannot use is a 400 with its message on the page, not a
// 200; a page whose database does not answer is a 503 with Retry-After and
// says so, not Next's 500 or 200; a malformed address or an oversized form is
// refused by the web server before any of its body is read, not Next's 500.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { freePort } from "../lib/net/free-port";
import { signInAs } from "./fixtures";
import { postUntilAnswered, startLoneWebServer } from "./raw-http";

test("a list page answers a filter value it cannot use 400, with the message that says what to change", async ({ page }) => {
  test.setTimeout(240_000);
  await signInAs(page, "admin");
  const cases: [string, RegExp][] = [
    ["/catalog?tier=platinum", /tier must be one of/],
    ["/deployments?environment=moon", /environment must be one of/],
    ["/health?status=purple", /status must be one of/],
    ["/costs?groupBy=colour", /groupBy must be one of/],
    ["/map?window=forever", /window must be one of/],
    ["/admin/audit?before=abc", /The page cursor is not valid/],
  ];
  for (const [path, message] of cases) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(400);
    await expect(page.getByText(message).first(), path).toBeVisible();
  }
  // The same pages with values they can use are 200.
  for (const path of ["/catalog?tier=critical", "/health?status=healthy"]) expect((await page.goto(path))?.status(), path).toBe(200);
});

test("a malformed address or an oversized form is refused before its body is read: 400 or 413, never Next's 500", async ({ baseURL }) => {
  // Only 2 MB of the declared 10 MB are sent: the answer must not wait for the rest.
  for (const path of ["/api/v1/services/%ZZ", "/api/v1/services/%C0%AF", "/catalog/%ZZ"]) {
    const declared = await postUntilAnswered(new URL(path, baseURL).toString(), { declared: true, total: 2 * 1024 * 1024 });
    expect(declared.status, `${path}: ${declared.body}`).toBe(400);
    expect(JSON.parse(declared.body).error).toMatchObject({ code: "invalid_input", message: expect.stringContaining("not valid percent-encoded UTF-8") });
  }
  const streamed = await postUntilAnswered(new URL("/api/v1/services/%ZZ", baseURL).toString(), { declared: false, total: 200 * 1024 * 1024 });
  expect(streamed.status, streamed.body).toBe(400);
  expect(streamed.sent).toBeLessThan(200 * 1024 * 1024);
  const form = await postUntilAnswered(new URL("/catalog/new", baseURL).toString(), { declared: true, total: 2 * 1024 * 1024 });
  expect(form.status, form.body).toBe(413);
  expect(JSON.parse(form.body).error.code).toBe("payload_too_large");
});

test("a page whose database does not answer is a 503 with Retry-After that says so and offers to try again", async ({ page }) => {
  test.setTimeout(240_000);
  const port = await freePort();
  // scripts/web-server.ts alone, from the e2e build, on a database address nothing listens on (as e2e/web-server.spec.ts).
  const { process: server, output } = startLoneWebServer({
    port,
    logLevel: "fatal",
    databaseUrl: `postgresql://wharf:wharf@127.0.0.1:${await freePort()}/wharf`,
    env: { WHARF_WEB_PROCESSES: "1" },
  });
  try {
    await expect.poll(output, { timeout: 200_000, message: "the web server listens" }).toMatch(/listening on port/);
    const base = `http://localhost:${port}`;
    // A session cookie makes the signed-in layout look the session up: the first query the page sends.
    const cookie = `wharf_session=${randomBytes(32).toString("base64url")}`;
    for (const path of ["/catalog", "/health", "/"]) {
      const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
      expect(response.status, `${path}: ${output()}`).toBe(503);
      expect(response.headers.get("retry-after"), path).toBe("5");
      expect(response.headers.get("content-security-policy"), path).toContain("frame-ancestors 'none'");
      // Next's error document: the boundary's text is rendered in the browser (below).
      expect(await response.text(), path).toContain('id="__next_error__"');
    }
    // The API said so already; it still does.
    const api = await fetch(`${base}/api/v1/services`, { headers: { cookie } });
    expect(api.status).toBe(503);

    await page.context().addCookies([{ name: "wharf_session", value: cookie.split("=")[1]!, url: base }]);
    const shown = await page.goto(`${base}/catalog`);
    expect(shown?.status()).toBe(503);
    await expect(page.getByRole("alert").filter({ hasText: "Wharf's database is not answering" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Try again" })).toBeVisible();
  } finally {
    server.kill("SIGKILL");
  }
});
