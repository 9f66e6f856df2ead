// Pipeline identities: app registrations a CI pipeline signs in as with the
// client-credentials grant, and the app-only access tokens Entra issues them
// for Wharf's API. Unlike oidc-provider's opaque tokens these are JWTs signed
// with the sandbox's persisted key, so they verify statelessly (JWKS) and
// keep verifying after a sandbox restart, as Entra's do.
import { randomUUID, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { importJWK, SignJWT, type JWK } from "jose";
import { randomSecret, readOrCreate } from "./state";

/** The app role Wharf requires on a pipeline's token (an application permission of Wharf's app registration). */
export const wharfDeployerRole = "Wharf.Deployer";

export type PipelineKey = "payments" | "orders" | "no-role";

export interface SandboxPipeline {
  key: PipelineKey;
  displayName: string;
  /** The app registration's Application (client) id: `azp` in the token. */
  clientId: string;
  /** Its service principal's object id in the sandbox tenant: `oid` and `sub` in the token. */
  objectId: string;
  /** App roles of Wharf's API assigned to the service principal (admin consent granted). */
  roles: readonly string[];
  summary: string;
}

// Fixed ids so docs, tests and an admin's mapping survive a --reset; secrets are per data dir.
export const sandboxPipelines: readonly SandboxPipeline[] = [
  {
    key: "payments",
    displayName: "Payments pipeline",
    clientId: "6b1f4e2a-7c3d-4a5b-9e8f-0a1b2c3d4e01",
    objectId: "e5d4c3b2-0001-4a1b-8c2d-3e4f5a6b7c01",
    roles: [wharfDeployerRole],
    summary: "Has Wharf.Deployer; map it to Payments in Admin → Pipelines",
  },
  {
    key: "orders",
    displayName: "Orders pipeline",
    clientId: "6b1f4e2a-7c3d-4a5b-9e8f-0a1b2c3d4e02",
    objectId: "e5d4c3b2-0002-4a1b-8c2d-3e4f5a6b7c02",
    roles: [wharfDeployerRole],
    summary: "Has Wharf.Deployer; map it to Orders in Admin → Pipelines",
  },
  {
    key: "no-role",
    displayName: "Pipeline without the role",
    clientId: "6b1f4e2a-7c3d-4a5b-9e8f-0a1b2c3d4e03",
    objectId: "e5d4c3b2-0003-4a1b-8c2d-3e4f5a6b7c03",
    roles: [],
    summary: "Gets tokens for Wharf's API without Wharf.Deployer: Wharf refuses them (403)",
  },
];

export function findPipelineByClientId(clientId: string): SandboxPipeline | undefined {
  return sandboxPipelines.find((pipeline) => pipeline.clientId === clientId);
}

export function loadOrCreatePipelineSecrets(stateDir: string): Record<PipelineKey, string> {
  const json = readOrCreate(stateDir, "pipeline-secrets.json", () =>
    JSON.stringify(Object.fromEntries(sandboxPipelines.map((pipeline) => [pipeline.key, randomSecret()])), null, 2),
  );
  return JSON.parse(json) as Record<PipelineKey, string>;
}

/** Wharf's API as a resource: scopes a client may ask for, and the `aud` of a v2 token (the API's client id). */
export function wharfApi(wharfClientId: string) {
  const appIdUri = `api://${wharfClientId}`;
  return { appIdUri, scope: `${appIdUri}/.default`, audience: wharfClientId, scopes: [`${appIdUri}/.default`, `${wharfClientId}/.default`] };
}

export interface AppOnlyTokenInput {
  /** The private signing key (JWK with kid), as in the sandbox's jwks.json. */
  signingKey: JsonWebKey & { kid?: string };
  issuer: string;
  tenantId: string;
  audience: string;
  clientId: string;
  objectId: string;
  roles: readonly string[];
  /** Seconds since the epoch; now by default. */
  issuedAt?: number;
  lifetimeSeconds?: number;
}

/** An app-only access token with the claims of an Entra v2 access token. */
export async function mintAppOnlyAccessToken(input: AppOnlyTokenInput): Promise<string> {
  const iat = input.issuedAt ?? Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    tid: input.tenantId,
    oid: input.objectId,
    azp: input.clientId,
    // 1: the client proved itself with a secret (2 would be a certificate or federated assertion).
    azpacr: "1",
    idtyp: "app",
    uti: randomUUID().replaceAll("-", ""),
    ver: "2.0",
  };
  // Entra leaves `roles` out when none is assigned, rather than sending [].
  if (input.roles.length) claims.roles = [...input.roles];
  const key = await importJWK(input.signingKey as JWK, "RS256");
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: input.signingKey.kid })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setSubject(input.objectId)
    .setIssuedAt(iat)
    .setNotBefore(iat)
    .setExpirationTime(iat + (input.lifetimeSeconds ?? 3599))
    .sign(key);
}

export interface PipelineTokenOptions {
  issuer: string;
  tenantId: string;
  wharfClientId: string;
  signingKey: JsonWebKey & { kid?: string };
  secrets: Record<PipelineKey, string>;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Entra's token error body: AADSTS code, trace and correlation ids, timestamp. */
function sendTokenError(res: ServerResponse, status: number, error: string, code: number, description: string): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, "Z");
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(
    JSON.stringify({
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
    }),
  );
}

/** client_secret_basic: `Authorization: Basic base64(urlencode(id):urlencode(secret))`. */
function basicCredentials(req: IncomingMessage): { clientId: string; clientSecret: string } | undefined {
  const value = /^Basic +(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
  if (!value) return undefined;
  const decoded = Buffer.from(value, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { clientId: decodeURIComponent(decoded.slice(0, colon)), clientSecret: decodeURIComponent(decoded.slice(colon + 1)) };
}

export function createPipelineTokens(options: PipelineTokenOptions) {
  const api = wharfApi(options.wharfClientId);

  /**
   * Answers a token request if it comes from a pipeline identity (true), or
   * leaves it to oidc-provider (false). `form` is the already-read body.
   */
  async function handleTokenRequest(req: IncomingMessage, form: URLSearchParams, res: ServerResponse): Promise<boolean> {
    const basic = basicCredentials(req);
    const clientId = basic?.clientId ?? form.get("client_id") ?? "";
    const pipeline = findPipelineByClientId(clientId);
    if (!pipeline) return false;
    if (form.get("grant_type") !== "client_credentials") {
      sendTokenError(
        res,
        400,
        "unauthorized_client",
        700016,
        `The pipeline identity '${clientId}' (${pipeline.displayName}) can only use the client_credentials grant in the sandbox.`,
      );
      return true;
    }
    if (form.has("client_assertion")) {
      sendTokenError(
        res,
        401,
        "invalid_client",
        7000215,
        "The sandbox authenticates pipeline identities with their client secret only (client_secret), not with a federated client_assertion.",
      );
      return true;
    }
    const secret = basic?.clientSecret ?? form.get("client_secret");
    if (!secret) {
      sendTokenError(res, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
      return true;
    }
    if (!sameSecret(secret, options.secrets[pipeline.key])) {
      sendTokenError(
        res,
        401,
        "invalid_client",
        7000215,
        "Invalid client secret provided. Ensure the secret being sent in the request is the " +
          `client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
      return true;
    }
    const scope = form.get("scope");
    if (!scope) {
      sendTokenError(res, 400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
      return true;
    }
    if (!api.scopes.includes(scope)) {
      const resource = scope.replace(/\/\.default$/, "");
      sendTokenError(
        res,
        400,
        "invalid_scope",
        scope.endsWith("/.default") ? 500011 : 1002012,
        scope.endsWith("/.default")
          ? `The resource principal named ${resource} was not found in the tenant named ${options.tenantId}. ` +
              `The sandbox issues pipeline identities tokens for Wharf's API only: scope ${api.scope}.`
          : `The provided value for scope ${scope} is not valid. Client credential flows must have ` +
              "a scope value with /.default suffixed to the resource identifier (application ID URI).",
      );
      return true;
    }
    const accessToken = await mintAppOnlyAccessToken({
      signingKey: options.signingKey,
      issuer: options.issuer,
      tenantId: options.tenantId,
      audience: api.audience,
      clientId: pipeline.clientId,
      objectId: pipeline.objectId,
      roles: pipeline.roles,
    });
    res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", pragma: "no-cache" });
    res.end(JSON.stringify({ token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: accessToken }));
    return true;
  }

  return { handleTokenRequest, api };
}

export type PipelineTokens = ReturnType<typeof createPipelineTokens>;
