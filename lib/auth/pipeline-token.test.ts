// Pipeline bearer tokens against the shared sandbox's authority (the tokens
// its token endpoint issues, and ones signed with its key that it never
// would), plus a local authority for key rotation and JWKS caching.
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exportJWK, importJWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { ensureSandboxTls } from "@/sandbox/ca";
import { mintAppOnlyAccessToken, wharfDeployerRole } from "@/sandbox/pipelines";
import { sandboxTenantId } from "@/sandbox/personas";
import { endpointPipeline, pipelineAccessToken, sandboxSigningKey } from "@/sandbox/test-support/pipeline-client";
import { readEndpoints } from "@/sandbox/test-support/sandbox-client";
import { createPipelineTokenVerifier, discoveryUrl, verifyPipelineToken } from "./pipeline-token";

const endpoints = readEndpoints();
const payments = endpointPipeline(endpoints, "payments");
const otherTenant = "0b7e4c1d-9a8f-4e2b-8c3d-7f6e5d4c3b2a";

/** A token signed with the sandbox's own key: what the token endpoint would issue, with `change` applied. */
function sandboxSigned(change: Partial<Parameters<typeof mintAppOnlyAccessToken>[0]> = {}) {
  return mintAppOnlyAccessToken({
    signingKey: sandboxSigningKey(),
    issuer: endpoints.authority,
    tenantId: sandboxTenantId,
    audience: endpoints.clientId,
    clientId: payments.clientId,
    objectId: payments.objectId,
    roles: [wharfDeployerRole],
    ...change,
  });
}

async function refusal(token: string, verify = verifyPipelineToken): Promise<AppError> {
  try {
    await verify(token);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the token to be refused");
}

const now = () => Math.floor(Date.now() / 1000);
const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("verifyPipelineToken against the sandbox authority", () => {
  it("accepts a token the sandbox issues to a pipeline with Wharf.Deployer", async () => {
    await expect(verifyPipelineToken(await pipelineAccessToken(endpoints, "payments"))).resolves.toEqual({
      tenantId: sandboxTenantId,
      objectId: payments.objectId,
      clientId: payments.clientId,
      roles: [wharfDeployerRole],
    });
  });

  it("refuses an expired token (401), but allows a little clock skew", async () => {
    const expired = await refusal(await sandboxSigned({ issuedAt: now() - 7200, lifetimeSeconds: 3600 }));
    expect(expired).toMatchObject({ code: "unauthenticated", status: 401 });
    expect(expired.message).toMatch(/^The token expired at \d{4}-/);
    await expect(verifyPipelineToken(await sandboxSigned({ issuedAt: now() - 3630, lifetimeSeconds: 3600 }))).resolves.toMatchObject({
      clientId: payments.clientId,
    });
  });

  it("refuses a token that is not valid yet beyond the skew", async () => {
    await expect(verifyPipelineToken(await sandboxSigned({ issuedAt: now() + 60 }))).resolves.toBeDefined();
    expect((await refusal(await sandboxSigned({ issuedAt: now() + 600 }))).message).toMatch(/not valid yet/);
  });

  it("refuses an unsigned token (alg none) and HS256 signed with the public key", async () => {
    const claims = JSON.parse(Buffer.from((await sandboxSigned()).split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    const none = await refusal(`${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`);
    expect(none).toMatchObject({ status: 401, message: expect.stringMatching(/signed with none; Wharf accepts only RS256/) });

    const { kty, n, e } = sandboxSigningKey() as { kty: string; n: string; e: string };
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: sandboxSigningKey().kid })
      .sign(new TextEncoder().encode(JSON.stringify({ kty, n, e })));
    expect(await refusal(hs)).toMatchObject({ status: 401, message: expect.stringMatching(/signed with HS256/) });
  });

  it("refuses a token signed with a key the authority does not publish, and one whose signature does not match its kid", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const foreign = { ...(await exportJWK(privateKey)), kid: randomUUID() };
    const unknownKid = await refusal(await sandboxSigned({ signingKey: foreign }));
    expect(unknownKid).toMatchObject({ status: 401, message: expect.stringMatching(/signed with a key that .* does not publish/) });

    const forged = await refusal(await sandboxSigned({ signingKey: { ...foreign, kid: sandboxSigningKey().kid } }));
    expect(forged).toMatchObject({ status: 401, message: expect.stringMatching(/signature does not verify/) });

    const token = await sandboxSigned();
    const [header, , signature] = token.split(".");
    const tampered = await refusal(
      `${header}.${encode({ ...JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()), tid: sandboxTenantId, roles: ["Wharf.Admin", wharfDeployerRole] })}.${signature}`,
    );
    expect(tampered.message).toMatch(/signature does not verify/);
  });

  it("refuses a token for another audience", async () => {
    const error = await refusal(await sandboxSigned({ audience: "https://management.azure.com/" }));
    expect(error).toMatchObject({ status: 401, message: expect.stringMatching(/another audience \(https:\/\/management\.azure\.com\/\), not Wharf's API/) });
  });

  it("refuses a token from another tenant, though Entra signs every tenant's tokens with the same keys", async () => {
    const error = await refusal(await sandboxSigned({ tenantId: otherTenant, issuer: endpoints.authority.replace(sandboxTenantId, otherTenant) }));
    expect(error).toMatchObject({ status: 401, message: expect.stringMatching(new RegExp(`another Entra tenant \\(${otherTenant}\\)`)) });
  });

  it("refuses a token of the right tenant from another issuer", async () => {
    const error = await refusal(await sandboxSigned({ issuer: "https://sts.windows.net/" + sandboxTenantId + "/" }));
    expect(error.message).toMatch(/issuer https:\/\/sts\.windows\.net\/.* is not/);
  });

  it("answers 403 for a valid token without the Wharf.Deployer role", async () => {
    const error = await refusal(await pipelineAccessToken(endpoints, "no-role"));
    expect(error).toMatchObject({ code: "forbidden", status: 403, message: expect.stringMatching(/has no Wharf\.Deployer app role/) });
  });

  it("refuses a user's delegated token", async () => {
    const key = sandboxSigningKey();
    const delegated = await new SignJWT({
      tid: sandboxTenantId,
      oid: randomUUID(),
      azp: payments.clientId,
      scp: "Deployments.Write",
      roles: [wharfDeployerRole],
      ver: "2.0",
    })
      .setProtectedHeader({ alg: "RS256", kid: key.kid })
      .setIssuer(endpoints.authority)
      .setAudience(endpoints.clientId)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(await importJWK(key as never, "RS256"));
    expect((await refusal(delegated)).message).toMatch(/issued to a user \(delegated\)/);
  });

  it("refuses garbage", async () => {
    expect(await refusal("not-a-token")).toMatchObject({ status: 401, message: expect.stringMatching(/not a JWT/) });
  });

  it("accepts v1 tokens (aud = Application ID URI, appid, sts.windows.net issuer) when configured as for Azure", async () => {
    const config = getConfig().identity;
    const verify = createPipelineTokenVerifier({
      authority: config.authority,
      tenantId: config.tenantId,
      audiences: config.api.audiences,
      requiredRole: wharfDeployerRole,
      extraIssuers: [`https://sts.windows.net/${sandboxTenantId}/`],
      caFile: config.caFile,
    });
    const key = sandboxSigningKey();
    const v1 = await new SignJWT({
      tid: sandboxTenantId,
      oid: payments.objectId,
      appid: payments.clientId,
      appidacr: "1",
      roles: [wharfDeployerRole],
      ver: "1.0",
    })
      .setProtectedHeader({ alg: "RS256", kid: key.kid })
      .setIssuer(`https://sts.windows.net/${sandboxTenantId}/`)
      .setAudience(config.api.appIdUri)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(await importJWK(key as never, "RS256"));
    await expect(verify(v1)).resolves.toMatchObject({ clientId: payments.clientId, objectId: payments.objectId });
  });
});

describe("the authority's signing keys", () => {
  let server: Server;
  let dir: string;
  let authority: string;
  let caFile: string;
  let published: object[] = [];
  let jwksFetches = 0;
  let discoveryStatus = 200;
  const tenantId = randomUUID();

  async function rsaKey() {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const kid = randomUUID();
    return { kid, private: { ...(await exportJWK(privateKey)), kid }, public: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
  }

  const tokenFor = (key: { private: JsonWebKey & { kid?: string } }) =>
    mintAppOnlyAccessToken({
      signingKey: key.private,
      issuer: authority,
      tenantId,
      audience: "wharf-api",
      clientId: "pipeline",
      objectId: "sp",
      roles: [wharfDeployerRole],
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wharf-jwks-"));
    const tls = ensureSandboxTls(dir);
    caFile = tls.caFile;
    server = createServer({ cert: tls.serverCertPem, key: tls.serverKeyPem }, (req, res) => {
      if (req.url?.endsWith("/.well-known/openid-configuration")) {
        res.writeHead(discoveryStatus, { "content-type": "application/json" }).end(JSON.stringify({ issuer: authority, jwks_uri: `${authority}/keys` }));
      } else if (req.url?.endsWith("/keys")) {
        jwksFetches += 1;
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: published }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    authority = `https://localhost:${(server.address() as AddressInfo).port}/${tenantId}/v2.0`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it("finds discovery under /v2.0 for Entra and at the sandbox authority as it is", () => {
    expect(discoveryUrl("https://login.microsoftonline.com/t")).toBe("https://login.microsoftonline.com/t/v2.0/.well-known/openid-configuration");
    expect(discoveryUrl("https://localhost:8443/t/v2.0")).toBe("https://localhost:8443/t/v2.0/.well-known/openid-configuration");
  });

  it("caches the JWKS, fetches it again when a token names a new key (rotation), and refuses a retired key", async () => {
    const verify = createPipelineTokenVerifier({ authority, tenantId, audiences: ["wharf-api"], requiredRole: wharfDeployerRole, caFile, jwksCooldownMs: 0 });
    const first = await rsaKey();
    published = [first.public];
    await verify(await tokenFor(first));
    await verify(await tokenFor(first));
    expect(jwksFetches).toBe(1);

    const second = await rsaKey();
    published = [second.public];
    await expect(verify(await tokenFor(second))).resolves.toMatchObject({ clientId: "pipeline" });
    expect(jwksFetches).toBe(2);
    // The cached set now holds only the new key.
    expect((await refusal(await tokenFor(first), verify)).message).toMatch(/does not publish/);
  });

  it("answers 503 while the authority cannot be reached, and recovers without a restart", async () => {
    const verify = createPipelineTokenVerifier({ authority, tenantId, audiences: ["wharf-api"], requiredRole: wharfDeployerRole, caFile });
    const key = await rsaKey();
    published = [key.public];
    discoveryStatus = 500;
    expect(await refusal(await tokenFor(key), verify)).toMatchObject({ code: "dependency_unavailable", status: 503 });
    discoveryStatus = 200;
    await expect(verify(await tokenFor(key))).resolves.toBeDefined();
  });
});
