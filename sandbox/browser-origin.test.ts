// Browsers do not trust the sandbox CA, so the sign-in pages are served on a
// plain-http origin; everything else stays on HTTPS.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { httpsJson, readEndpoints, startSignIn } from "./test-support/sandbox-client";

describe("browser origin", () => {
  const endpoints = readEndpoints();
  const ca = readFileSync(endpoints.caFile, "utf8");

  it("advertises the plain-http origin only for the pages a browser visits", async () => {
    const discovery = await httpsJson(`${endpoints.authority}/.well-known/openid-configuration`, { ca });
    const metadata = discovery.body as Record<string, string>;
    expect(metadata.issuer).toBe(endpoints.authority);
    expect(metadata.authorization_endpoint).toBe(`${endpoints.browserOrigin}${new URL(endpoints.authority).pathname}/auth`);
    expect(metadata.token_endpoint!.startsWith("https://")).toBe(true);
    expect(metadata.jwks_uri!.startsWith("https://")).toBe(true);
  });

  it("serves the persona picker over http", async () => {
    const { picker } = await startSignIn(endpoints);
    expect(picker.url.startsWith(endpoints.browserOrigin)).toBe(true);
    expect(picker.status).toBe(200);
    expect(picker.body).toContain("<h1>Sign in to the Wharf sandbox</h1>");
  });

  it("refuses the token endpoint, Graph and discovery on the http origin", async () => {
    const mount = new URL(endpoints.authority).pathname;
    for (const path of [`${mount}/token`, `${mount}/.well-known/openid-configuration`, `${mount}/jwks`, "/graph/v1.0/me/getMemberObjects"]) {
      const response = await fetch(`${endpoints.browserOrigin}${path}`, { method: path.endsWith("token") ? "POST" : "GET" });
      expect(response.status, path).toBe(404);
    }
  });
});
