import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { describe, expect, it } from "vitest";
import { sandboxGroupIds, sandboxPersonas, sandboxTenantId } from "./personas";
import { TestBrowser } from "./test-support/browser";
import { httpsJson, readEndpoints, signIn, startSignIn, wharfMsalApp } from "./test-support/sandbox-client";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");

describe("sandbox identity provider", () => {
  it("publishes discovery with the authority as its exact issuer", async () => {
    const res = await httpsJson(`${endpoints.authority}/.well-known/openid-configuration`, { ca });
    expect(res.status).toBe(200);
    const doc = res.body as Record<string, unknown>;
    expect(doc.issuer).toBe(endpoints.authority);
    expect(endpoints.authority).toBe(`https://localhost:${endpoints.port}/${sandboxTenantId}/v2.0`);
    expect(doc.token_endpoint).toBe(`${endpoints.authority}/token`);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
  });

  it("serves a certificate the sandbox CA verifies and public roots do not", async () => {
    await expect(httpsJson(`https://localhost:${endpoints.port}/_sandbox/health`, { ca })).resolves.toMatchObject({ status: 200 });
    await expect(httpsJson(`https://127.0.0.1:${endpoints.port}/_sandbox/health`, { ca })).resolves.toMatchObject({ status: 200 });
    await expect(httpsJson(`https://localhost:${endpoints.port}/_sandbox/health`, { ca: [...rootCertificates] })).rejects.toThrow(/certificate/i);
  });

  it("signs in Priya through MSAL with Entra-shaped id token claims", async () => {
    const result = await signIn(endpoints, "payments");
    const priya = sandboxPersonas.find((p) => p.key === "payments");
    expect(result.idTokenClaims).toMatchObject({
      oid: priya?.oid,
      tid: sandboxTenantId,
      sub: priya?.oid,
      name: "Priya Shah",
      preferred_username: "priya.shah@contoso.example",
      email: "priya.shah@contoso.example",
      groups: [sandboxGroupIds.payments],
      ver: "2.0",
      iss: endpoints.authority,
      aud: endpoints.clientId,
    });
    expect(result.idTokenClaims).not.toHaveProperty("roles");
    expect(result.account?.homeAccountId).toBe(`${priya?.oid}.${sandboxTenantId}`);
    expect(result.account?.username).toBe("priya.shah@contoso.example");
    expect(result.accessToken).toBeTruthy();
  });

  it("gives Alex the Wharf.Admin app role and the Platform Admins group", async () => {
    const result = await signIn(endpoints, "admin");
    expect(result.idTokenClaims).toMatchObject({
      name: "Alex Morgan",
      roles: ["Wharf.Admin"],
      groups: [sandboxGroupIds.platformAdmins],
    });
  });

  it("leaves groups and roles out for Victor, as Entra does when there are none", async () => {
    const result = await signIn(endpoints, "viewer");
    expect(result.idTokenClaims).toMatchObject({ name: "Victor Nguyen" });
    expect(result.idTokenClaims).not.toHaveProperty("groups");
    expect(result.idTokenClaims).not.toHaveProperty("roles");
  });

  it("sends Grace the groups overage pointer instead of 250 groups, resolvable through Graph", async () => {
    const result = await signIn(endpoints, "overage");
    const grace = sandboxPersonas.find((p) => p.key === "overage");
    const claims = result.idTokenClaims as Record<string, unknown>;
    expect(claims.groups).toBeUndefined();
    expect(claims._claim_names).toEqual({ groups: "src1" });
    const endpoint = `${endpoints.graphEndpoint}/v1.0/users/${grace?.oid}/getMemberObjects`;
    expect(claims._claim_sources).toEqual({ src1: { endpoint } });

    const res = await httpsJson(endpoint, { ca, method: "POST", token: result.accessToken, body: { securityEnabledOnly: false } });
    expect(res.status).toBe(200);
    const groups = (res.body as { value: string[] }).value;
    expect(groups).toHaveLength(250);
    expect(groups).toContain(sandboxGroupIds.payments);
    expect(new Set(groups).size).toBe(250);
  });

  it("switches persona in the same browser, since the picker shows on every sign-in", async () => {
    const browser = new TestBrowser(ca);
    await expect(signIn(endpoints, "payments", { browser })).resolves.toMatchObject({ idTokenClaims: { name: "Priya Shah" } });
    const second = await signIn(endpoints, "orders", { browser });
    expect(second.idTokenClaims).toMatchObject({ name: "Omar Haddad", groups: [sandboxGroupIds.orders] });
  });

  it("refreshes tokens silently through MSAL with the refresh token it was given", async () => {
    const app = wharfMsalApp(endpoints);
    const first = await signIn(endpoints, "both", { app });
    const account = first.account;
    if (!account) throw new Error("MSAL returned no account");
    const refreshed = await app.acquireTokenSilent({ account, scopes: ["User.Read"], forceRefresh: true });
    expect(refreshed.accessToken).not.toBe(first.accessToken);
    expect(refreshed.idTokenClaims).toMatchObject({ name: "Mei Lin", oid: (first.idTokenClaims as { oid?: string }).oid });
  });

  it("renders an accessible persona picker with one labelled button per persona and Cancel", async () => {
    const { picker } = await startSignIn(endpoints);
    expect(picker.status).toBe(200);
    expect(picker.body).toContain("<h1>Sign in to the Wharf sandbox</h1>");
    for (const persona of sandboxPersonas) {
      expect(picker.body).toContain(`value="${persona.key}"`);
      expect(picker.body).toContain(persona.email);
    }
    expect(picker.body).toContain("Member of Payments");
    expect(picker.body).toMatch(/<button type="submit" class="cancel">Cancel<\/button>/);
  });

  it("answers Cancel with error=access_denied on the redirect", async () => {
    const started = await startSignIn(endpoints);
    const callback = await started.browser.submit(started.picker, "/abort", {});
    const location = new URL(callback.location ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(started.redirectUri);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toMatch(/declined/);
    expect(location.searchParams.get("state")).toBe(started.state);
  });

  it("accepts a localhost callback on any port but refuses another redirect URI", async () => {
    const otherPort = await startSignIn(endpoints, { redirectUri: "http://localhost:45123/auth/callback" });
    expect(otherPort.picker.status).toBe(200);
    const wrong = await startSignIn(endpoints, { redirectUri: "https://evil.example/auth/callback" });
    expect(wrong.picker.status).toBe(400);
    expect(wrong.picker.body).toMatch(/redirect_uri/);
    const wrongPath = await startSignIn(endpoints, { redirectUri: "http://localhost:3000/other" });
    expect(wrongPath.picker.status).toBe(400);
  });

  it("refuses an authorization request without PKCE", async () => {
    const browser = new TestBrowser(ca);
    const query = new URLSearchParams({
      client_id: endpoints.clientId,
      response_type: "code",
      scope: "openid",
      redirect_uri: "http://localhost:3000/auth/callback",
    });
    const res = await browser.go(`${endpoints.authority}/auth?${query}`);
    const location = new URL(res.location ?? "");
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toMatch(/PKCE/);
  });
});
