import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sandboxGroupIds, sandboxPersonas } from "./personas";
import { httpsJson, readEndpoints, signIn, wharfMsalApp } from "./test-support/sandbox-client";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");
const graph = `${endpoints.graphEndpoint}/v1.0`;
const priya = sandboxPersonas.find((p) => p.key === "payments");

describe("sandbox Microsoft Graph", () => {
  it("answers 401 with a Graph error body without a valid token", async () => {
    for (const token of [undefined, "not-a-token"]) {
      const res = await httpsJson(`${graph}/me/getMemberObjects`, { ca, method: "POST", token, body: { securityEnabledOnly: true } });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: "InvalidAuthenticationToken" } });
    }
  });

  it("returns the signed-in user's groups from /me/getMemberObjects", async () => {
    const { accessToken } = await signIn(endpoints, "both");
    const res = await httpsJson(`${graph}/me/getMemberObjects`, { ca, method: "POST", token: accessToken, body: { securityEnabledOnly: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ "@odata.context": expect.stringContaining("$metadata#Collection(Edm.String)") });
    expect((res.body as { value: string[] }).value.sort()).toEqual([sandboxGroupIds.payments, sandboxGroupIds.orders].sort());
  });

  it("refuses a delegated token reading another user's groups", async () => {
    const { accessToken } = await signIn(endpoints, "orders");
    const res = await httpsJson(`${graph}/users/${priya?.oid}/getMemberObjects`, {
      ca,
      method: "POST",
      token: accessToken,
      body: { securityEnabledOnly: false },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: "Authorization_RequestDenied" } });
  });

  it("lets an app token from client credentials read any user's groups, but not /me", async () => {
    const app = wharfMsalApp(endpoints);
    const result = await app.acquireTokenByClientCredential({ scopes: [`${endpoints.graphEndpoint}/.default`] });
    const token = result?.accessToken;
    expect(token).toBeTruthy();
    const res = await httpsJson(`${graph}/users/${priya?.oid}/getMemberObjects`, { ca, method: "POST", token, body: { securityEnabledOnly: false } });
    expect(res.status).toBe(200);
    expect((res.body as { value: string[] }).value).toEqual([sandboxGroupIds.payments]);
    const me = await httpsJson(`${graph}/me/getMemberObjects`, { ca, method: "POST", token, body: { securityEnabledOnly: false } });
    expect(me.status).toBe(400);
  });

  it("requires securityEnabledOnly in the getMemberObjects body", async () => {
    const { accessToken } = await signIn(endpoints, "payments");
    const res = await httpsJson(`${graph}/me/getMemberObjects`, { ca, method: "POST", token: accessToken, body: {} });
    expect(res.status).toBe(400);
  });

  it("names a group, and answers a Graph-shaped 404 for an unknown one", async () => {
    const { accessToken } = await signIn(endpoints, "viewer");
    const found = await httpsJson(`${graph}/groups/${sandboxGroupIds.droneDelivery}`, { ca, token: accessToken });
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id: sandboxGroupIds.droneDelivery, displayName: "Drone Delivery" });
    const missing = await httpsJson(`${graph}/groups/00000000-0000-4000-8000-000000000000`, { ca, token: accessToken });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: "Request_ResourceNotFound", message: expect.any(String) } });
  });
});
