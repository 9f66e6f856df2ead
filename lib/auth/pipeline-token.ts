// Bearer tokens from CI pipelines: app-only access tokens Entra ID issues to
// a pipeline's identity (client credentials) for Wharf's API. Verified
// statelessly: RS256 signature against the authority's JWKS (found through
// its discovery document, cached, fetched again when a token names a key it
// has not seen, which is how Entra's key rotation shows), then tenant,
// issuer, audience, lifetime, app-only, and the deployer app role.
import { createRemoteJWKSet, customFetch, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type FetchImplementation, type JWTPayload } from "jose";
import { getConfig } from "@/lib/config";
import { AppError } from "@/lib/errors";
import { httpsRequest } from "@/lib/auth/https-client";

export interface PipelineTokenIdentity {
  tenantId: string;
  /** The service principal's object id (`oid`). */
  objectId: string;
  /** The application (client) id (`azp` in v2 tokens, `appid` in v1). */
  clientId: string;
  roles: string[];
}

export interface PipelineTokenVerifierOptions {
  /** The authority: the sandbox issuer, or https://login.microsoftonline.com/<tenant>. */
  authority: string;
  tenantId: string;
  /** Accepted `aud` values: Wharf's client id (v2 tokens) and Application ID URI (v1). */
  audiences: string[];
  requiredRole: string;
  /** Issuers accepted besides the one discovery names, e.g. Entra's v1 issuer https://sts.windows.net/<tenant>/. */
  extraIssuers?: string[];
  /** Extra CA for the authority (the sandbox's). */
  caFile?: string;
  clockToleranceSeconds?: number;
  /** The least time between two JWKS fetches, so tokens with made-up kids cannot hammer the authority. */
  jwksCooldownMs?: number;
}

export type PipelineTokenVerifier = (token: string) => Promise<PipelineTokenIdentity>;

const unauthenticated = (message: string, cause?: unknown) => new AppError("unauthenticated", message, { cause });

/** Entra's v2 metadata is under <authority>/v2.0; the sandbox's authority already ends there. */
export function discoveryUrl(authority: string): string {
  const base = authority.replace(/\/$/, "");
  return `${base.endsWith("/v2.0") ? base : `${base}/v2.0`}/.well-known/openid-configuration`;
}

function fetchOverHttps(caFile: string | undefined): FetchImplementation {
  return async (url, init) => {
    const response = await httpsRequest(url, { method: "GET", headers: Object.fromEntries(new Headers(init.headers).entries()), caFile, timeoutMs: 5_000 });
    return new Response(response.body, { status: response.status, headers: response.headers });
  };
}

interface Discovery {
  issuer: string;
  jwks: ReturnType<typeof createRemoteJWKSet>;
}

export function createPipelineTokenVerifier(options: PipelineTokenVerifierOptions): PipelineTokenVerifier {
  const clockTolerance = options.clockToleranceSeconds ?? 120;
  let discovery: Promise<Discovery> | undefined;

  function discover(): Promise<Discovery> {
    discovery ??= (async () => {
      const url = discoveryUrl(options.authority);
      const response = await httpsRequest(url, { method: "GET", caFile: options.caFile, timeoutMs: 5_000 });
      if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
      const document = JSON.parse(response.body) as { issuer?: unknown; jwks_uri?: unknown };
      if (typeof document.issuer !== "string" || typeof document.jwks_uri !== "string") throw new Error(`${url} has no issuer or jwks_uri`);
      const jwks = createRemoteJWKSet(new URL(document.jwks_uri), {
        [customFetch]: fetchOverHttps(options.caFile),
        cooldownDuration: options.jwksCooldownMs ?? 30_000,
        cacheMaxAge: 6 * 60 * 60 * 1000,
        timeoutDuration: 5_000,
      });
      return { issuer: document.issuer, jwks };
    })();
    // A failed discovery is retried by the next request, not cached.
    discovery.catch(() => (discovery = undefined));
    return discovery;
  }

  return async function verifyPipelineToken(token: string): Promise<PipelineTokenIdentity> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
      decodeJwt(token);
    } catch (error) {
      throw unauthenticated(
        "The bearer token is not a JWT. Send an access token for Wharf's API from " +
          "Entra ID (az account get-access-token --resource <Wharf's Application ID URI>).",
        error,
      );
    }
    if (alg !== "RS256") {
      throw unauthenticated(
        `The bearer token is signed with ${typeof alg === "string" ? alg : "no algorithm"}; Wharf accepts only RS256 tokens signed by Entra ID.`,
      );
    }

    let found: Discovery;
    try {
      found = await discover();
    } catch (error) {
      throw new AppError(
        "dependency_unavailable",
        `Wharf could not read the identity provider's signing keys (${options.authority}) to check this token; try again in a minute.`,
        { cause: error },
      );
    }

    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, found.jwks, { algorithms: ["RS256"], clockTolerance, requiredClaims: ["exp", "iat", "tid"] }));
    } catch (error) {
      throw explainVerificationError(error, options.authority);
    }

    const tenantId = claims.tid;
    if (tenantId !== options.tenantId) {
      throw unauthenticated(
        `The token was issued by another Entra tenant (${String(tenantId)}); Wharf accepts tokens from its own tenant ${options.tenantId} only.`,
      );
    }
    const issuers = [found.issuer, ...(options.extraIssuers ?? [])];
    if (!claims.iss || !issuers.includes(claims.iss)) {
      throw unauthenticated(`The token's issuer ${claims.iss ?? "(none)"} is not ${issuers.join(" or ")}.`);
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => aud !== undefined && options.audiences.includes(aud))) {
      throw unauthenticated(
        `The token is for another audience (${audiences.join(", ") || "none"}), not Wharf's API ` +
          `(${options.audiences.join(" or ")}). Ask for scope ${options.audiences.at(-1)}/.default.`,
      );
    }
    // App-only tokens carry no `scp`; `idtyp` is there when the API asks for that optional claim.
    if (claims.scp !== undefined || (claims.idtyp !== undefined && claims.idtyp !== "app")) {
      throw unauthenticated("The token was issued to a user (delegated); pipelines deploy with an app-only token from the client credentials flow.");
    }
    const objectId = claims.oid;
    const clientId = typeof claims.azp === "string" ? claims.azp : claims.appid;
    if (typeof objectId !== "string" || typeof clientId !== "string") {
      throw unauthenticated("The token has no oid or azp/appid claim, so Wharf cannot tell which pipeline identity sent it.");
    }
    const roles = Array.isArray(claims.roles) ? claims.roles.filter((role): role is string => typeof role === "string") : [];
    if (!roles.includes(options.requiredRole)) {
      throw new AppError(
        "forbidden",
        `The pipeline identity ${clientId} has no ${options.requiredRole} app role. Assign Wharf's ${options.requiredRole} ` +
          "role to its service principal (an application permission, with admin consent), then request a new token.",
      );
    }
    return { tenantId, objectId, clientId, roles };
  };
}

function explainVerificationError(error: unknown, authority: string): AppError {
  if (error instanceof errors.JWTExpired) {
    const exp = typeof error.payload.exp === "number" ? new Date(error.payload.exp * 1000).toISOString() : "unknown";
    return unauthenticated(`The token expired at ${exp}; request a new one (tokens from Entra last about an hour).`, error);
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "nbf")
      return unauthenticated("The token is not valid yet (nbf is in the future); check the clock of the machine that asked for it.", error);
    return unauthenticated(`The token is missing or has a bad ${error.claim} claim (${error.reason}).`, error);
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return unauthenticated(`The token is signed with a key that ${authority} does not publish; it was not issued by Wharf's identity provider.`, error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return unauthenticated("The token's signature does not verify: it was altered or signed by someone else.", error);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return unauthenticated("Wharf accepts only RS256 tokens signed by Entra ID.", error);
  }
  // A timeout, a network error, or the plain JOSEError jose throws when the JWKS answer is not a 200.
  if (error instanceof errors.JWKSTimeout || (error instanceof Error && (!(error instanceof errors.JOSEError) || error.constructor === errors.JOSEError))) {
    return new AppError("dependency_unavailable", `Wharf could not fetch the identity provider's signing keys from ${authority}; try again in a minute.`, {
      cause: error,
    });
  }
  return unauthenticated(`The bearer token is not valid: ${error instanceof Error ? error.message : String(error)}.`, error);
}

let configured: PipelineTokenVerifier | undefined;

/** Verifies a pipeline's bearer token against Wharf's configured tenant and API. */
export function verifyPipelineToken(token: string): Promise<PipelineTokenIdentity> {
  if (!configured) {
    const { identity, mode } = getConfig();
    configured = createPipelineTokenVerifier({
      authority: identity.authority,
      tenantId: identity.tenantId,
      audiences: identity.api.audiences,
      requiredRole: identity.api.deployerAppRole,
      // Entra issues v1 tokens (this issuer, aud = Application ID URI) unless Wharf's app manifest asks for v2.
      extraIssuers: mode === "azure" ? [`https://sts.windows.net/${identity.tenantId}/`] : [],
      caFile: identity.caFile,
    });
  }
  return configured(token);
}
