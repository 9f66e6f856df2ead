import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { ClientSecretCredential } from "@azure/identity";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { describe, expect, it } from "vitest";
import { sandboxClientId } from "./identity";
import { sandboxTenantId } from "./personas";
import { sandboxPipelines, wharfDeployerRole } from "./pipelines";
import { startSandbox, type SandboxEndpoints } from "./server";
import { endpointPipeline, pipelineAccessToken, requestClientCredentialsToken } from "./test-support/pipeline-client";
import { httpsJson, readEndpoints } from "./test-support/sandbox-client";

const endpoints = readEndpoints();
const ca = readFileSync(endpoints.caFile, "utf8");

async function verifyWithSandboxJwks(token: string, at: SandboxEndpoints = endpoints, caPem = ca) {
  const discovery = (await httpsJson(`${at.authority}/.well-known/openid-configuration`, { ca: caPem })).body as { jwks_uri: string };
  const jwks = (await httpsJson(discovery.jwks_uri, { ca: caPem })).body as JSONWebKeySet;
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: at.issuer, audience: sandboxClientId, algorithms: ["RS256"] });
}

describe("sandbox pipeline identities", () => {
  it("lists the pipelines and Wharf's API scope in endpoints.json", () => {
    expect(endpoints.wharfApiScope).toBe(`api://${sandboxClientId}/.default`);
    expect((endpoints.pipelines as unknown[]).length).toBe(sandboxPipelines.length);
    const payments = endpointPipeline(endpoints, "payments");
    expect(payments).toMatchObject({ displayName: "Payments pipeline", roles: [wharfDeployerRole] });
    expect(payments.clientSecret.length).toBeGreaterThan(20);
  });

  it("issues an app-only RS256 JWT with Entra v2 access token claims, verifiable with the published JWKS", async () => {
    const payments = endpointPipeline(endpoints, "payments");
    const response = await requestClientCredentialsToken(endpoints, {
      clientId: payments.clientId,
      clientSecret: payments.clientSecret,
      scope: endpoints.wharfApiScope as string,
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ token_type: "Bearer", expires_in: 3599 });
    const token = response.body.access_token as string;
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: "RS256", typ: "JWT" });
    expect(header.kid).toEqual(expect.any(String));
    const { payload } = await verifyWithSandboxJwks(token);
    expect(payload).toMatchObject({
      iss: endpoints.authority,
      aud: sandboxClientId,
      tid: sandboxTenantId,
      oid: payments.objectId,
      sub: payments.objectId,
      azp: payments.clientId,
      azpacr: "1",
      idtyp: "app",
      roles: [wharfDeployerRole],
      ver: "2.0",
    });
    expect(payload.exp! - payload.iat!).toBe(3599);
    expect(payload.nbf).toBe(payload.iat);
  });

  it("accepts the secret in a Basic header and the client-id form of the scope", async () => {
    const payments = endpointPipeline(endpoints, "payments");
    const response = await requestClientCredentialsToken(endpoints, {
      clientId: payments.clientId,
      clientSecret: payments.clientSecret,
      scope: `${sandboxClientId}/.default`,
      basic: true,
    });
    expect(response.status).toBe(200);
  });

  it("leaves roles out of the token of an identity without an app role", async () => {
    const { payload } = await verifyWithSandboxJwks(await pipelineAccessToken(endpoints, "no-role"));
    expect(payload).not.toHaveProperty("roles");
    expect(payload.idtyp).toBe("app");
  });

  it("works with @azure/identity's ClientSecretCredential, as az login and azure/login do", async () => {
    const payments = endpointPipeline(endpoints, "payments");
    const credential = new ClientSecretCredential(sandboxTenantId, payments.clientId, payments.clientSecret, {
      authorityHost: `https://localhost:${endpoints.port}`,
      disableInstanceDiscovery: true,
      tlsOptions: { ca },
    });
    const token = await credential.getToken(endpoints.wharfApiScope as string);
    const { payload } = await verifyWithSandboxJwks(token.token);
    expect(payload.azp).toBe(payments.clientId);
  });

  it("refuses a wrong secret, a missing scope and another resource the way Entra does", async () => {
    const payments = endpointPipeline(endpoints, "payments");
    const wrong = await requestClientCredentialsToken(endpoints, {
      clientId: payments.clientId,
      clientSecret: "not-the-secret",
      scope: endpoints.wharfApiScope as string,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: "invalid_client", error_codes: [7000215] });
    expect(wrong.body.error_description).toMatch(/^AADSTS7000215: Invalid client secret provided/);

    const noScope = await requestClientCredentialsToken(endpoints, { clientId: payments.clientId, clientSecret: payments.clientSecret });
    expect(noScope).toMatchObject({ status: 400, body: { error: "invalid_request", error_codes: [900144] } });

    const arm = await requestClientCredentialsToken(endpoints, {
      clientId: payments.clientId,
      clientSecret: payments.clientSecret,
      scope: "https://management.azure.com/.default",
    });
    expect(arm).toMatchObject({ status: 400, body: { error: "invalid_scope", error_codes: [500011] } });

    const notDefault = await requestClientCredentialsToken(endpoints, {
      clientId: payments.clientId,
      clientSecret: payments.clientSecret,
      scope: `api://${sandboxClientId}/Deploy`,
    });
    expect(notDefault).toMatchObject({ status: 400, body: { error: "invalid_scope", error_codes: [1002012] } });
  });

  it("still serves Wharf's own client-credentials tokens from oidc-provider", async () => {
    const response = await requestClientCredentialsToken(endpoints, {
      clientId: endpoints.clientId,
      clientSecret: endpoints.clientSecret,
      scope: endpoints.graphEndpoint + "/.default",
    });
    expect(response.status).toBe(200);
    expect(response.body.access_token).toEqual(expect.any(String));
  });

  it("keeps a token verifiable after the sandbox restarts (the key persists; nothing is looked up)", async () => {
    const dataDir = resolve(".data", "test", `sandbox-restart-${randomBytes(6).toString("hex")}`);
    const first = await startSandbox({ dataDir, port: 0, browserPort: 0 });
    try {
      const token = await pipelineAccessToken(first.endpoints, "payments");
      const port = first.port;
      await first.close();
      const second = await startSandbox({ dataDir, port, browserPort: 0 });
      try {
        const { payload } = await verifyWithSandboxJwks(token, second.endpoints, readFileSync(second.endpoints.caFile, "utf8"));
        expect(payload.roles).toEqual([wharfDeployerRole]);
        expect(endpointPipeline(second.endpoints, "payments").clientSecret).toBe(endpointPipeline(first.endpoints, "payments").clientSecret);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
