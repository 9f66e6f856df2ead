// The status a page carries when something is wrong (issue 19, decision 0062):
// a filter a list page cannot use is a 400 with its message on the page, not a
// 200; a page whose database does not answer is a 503 with Retry-After and
// says so, not Next's 500 or 200; a malformed address or an oversized form is
// refused by the web server before any of its body is read, not Next's 500.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { connect } from "node:net";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../lib/net/free-port";
import { signInAs } from "./fixtures";

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

interface RawAnswer {
  status: number;
  body: string;
  /** Bytes of the request body written when the answer came. */
  sent: number;
}

/**
 * POSTs `total` bytes at most, 64 KB at a time, on a raw socket until the answer has arrived; declaring 10 MB, or chunked.
 * A server that answers before the body ends may close the connection under a client still writing; the answer read
 * before that counts (Node's own client reports the write error and drops the answer).
 */
function postUntilAnswered(url: string, options: { declared: boolean; total: number }): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let received = "";
    let answer: RawAnswer | undefined;
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    const answered = () => {
      const end = received.indexOf("\r\n\r\n");
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(received)?.[1] ?? NaN);
      if (answer || end < 0 || received.length < end + 4 + length) return;
      answer = { status: Number(received.split(" ")[1]), body: received.slice(end + 4, end + 4 + length), sent };
      socket.destroy();
      resolve(answer);
    };
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString();
      answered();
    });
    socket.on("error", (error) => (answer ? undefined : reject(new Error(`${error.message} after ${sent} bytes, having received: ${received}`))));
    socket.on("close", () => (answer ? undefined : reject(new Error(`closed after ${sent} bytes, having received: ${received}`))));
    const length = options.declared ? "content-length: 10485760" : "transfer-encoding: chunked";
    socket.write(`POST ${target.pathname} HTTP/1.1\r\nhost: ${target.host}\r\norigin: ${target.origin}\r\ncontent-type: application/json\r\n${length}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, " ");
    const framed = options.declared ? chunk : Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    const write = () => {
      while (!answer && !socket.destroyed && sent < options.total) {
        sent += chunk.byteLength;
        if (!socket.write(framed)) return void socket.once("drain", write);
      }
    };
    socket.once("connect", write);
  });
}

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
  const server = spawn(process.execPath, ["--import", "tsx", join("scripts", "web-server.ts")], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      PORT: String(port),
      WHARF_MODE: "azure",
      WHARF_WORKER: "off",
      WHARF_WEB_PROCESSES: "1",
      LOG_LEVEL: "fatal",
      AZURE_TENANT_ID: "11111111-2222-4333-8444-555555555555",
      AZURE_CLIENT_ID: "66666666-7777-4888-8999-000000000000",
      AZURE_CLIENT_SECRET: "not-a-secret",
      AZURE_SUBSCRIPTION_IDS: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
      WHARF_ALLOWED_REGISTRIES: "contoso.azurecr.io",
      WHARF_SESSION_SECRET: "x".repeat(48),
      WHARF_PUBLIC_URL: `http://localhost:${port}`,
      DATABASE_URL: `postgresql://wharf:wharf@127.0.0.1:${await freePort()}/wharf`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  try {
    await expect.poll(() => output, { timeout: 200_000, message: "the web server listens" }).toMatch(/listening on port/);
    const base = `http://localhost:${port}`;
    // A session cookie makes the signed-in layout look the session up: the first query the page sends.
    const cookie = `wharf_session=${randomBytes(32).toString("base64url")}`;
    for (const path of ["/catalog", "/health", "/"]) {
      const response = await fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
      expect(response.status, `${path}: ${output}`).toBe(503);
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
