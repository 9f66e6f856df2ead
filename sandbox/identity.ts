// Entra ID stand-in: oidc-provider configured to answer the way Entra v2 does
// for Wharf's code path (MSAL confidential client, auth code + PKCE).
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { IncomingMessage, type ServerResponse } from "node:http";
import { interactionPolicy, Provider, type Account, type Grant, type InteractionDetails, type KoaContext, type OidcContext } from "oidc-provider";
import { renderInteractionError, renderPersonaPicker } from "./persona-picker";
import { findPersona, findPersonaByOid, sandboxPersonas, type SandboxPersona } from "./personas";
import type { FileAdapterStore } from "./oidc-file-adapter";
import { createPipelineTokens, type PipelineKey, type PipelineTokens } from "./pipelines";
import { randomSecret, readOrCreate } from "./state";

/** Fixed so configs and docs can name it; the secret is per data dir. */
export const sandboxClientId = "9d4f2b7c-3e1a-4c8d-b5f6-2a7e9c1d0b44";

// Entra puts at most 200 group ids in a JWT; beyond that it sends the overage pointer.
const groupsClaimLimit = 200;

export interface IdentityOptions {
  issuer: string;
  tenantId: string;
  graphEndpoint: string;
  clientSecret: string;
  redirectUris: readonly string[];
  signingKeys: { keys: JsonWebKey[] };
  cookieKeys: string[];
  /**
   * Plain-http origin for the pages a browser visits (authorize, persona
   * picker, end session). Browsers do not trust the sandbox CA, so they never
   * see the HTTPS listener; MSAL only checks the authority, not these URLs.
   */
  browserOrigin?: string;
  /** Client secrets of the pipeline identities (sandbox/pipelines.ts); without them pipelines get no tokens. */
  pipelineSecrets?: Record<PipelineKey, string>;
  /** Where tokens, grants and sessions are kept across restarts; without it they live in memory only. */
  store?: FileAdapterStore;
}

export interface Identity {
  provider: Provider;
  /** The path prefix the provider is mounted at, e.g. `/<tenant>/v2.0`. */
  mountPath: string;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** True for the paths a browser visits; only these are served on the browser origin. */
  isBrowserPath(url: string): boolean;
  /** Issues pipeline identities' JWT access tokens for Wharf's API, if configured. */
  pipelines?: PipelineTokens;
}

export function loadOrCreateSigningKeys(stateDir: string): { keys: JsonWebKey[] } {
  // Persisted so id tokens issued before a restart still verify after it.
  const json = readOrCreate(stateDir, "jwks.json", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" };
    return JSON.stringify({ keys: [jwk] }, null, 2);
  });
  return JSON.parse(json) as { keys: JsonWebKey[] };
}

export function loadOrCreateCookieKeys(stateDir: string): string[] {
  return JSON.parse(readOrCreate(stateDir, "cookie-keys.json", () => JSON.stringify([randomSecret()]))) as string[];
}

export function loadOrCreateClientSecret(stateDir: string): string {
  return readOrCreate(stateDir, "client-secret", () => randomSecret()).trim();
}

function claimsFor(persona: SandboxPersona, tenantId: string, graphEndpoint: string): Record<string, unknown> {
  const claims: Record<string, unknown> = {
    sub: persona.oid,
    oid: persona.oid,
    tid: tenantId,
    name: persona.name,
    preferred_username: persona.email,
    email: persona.email,
    ver: "2.0",
  };
  // Entra leaves out empty roles and groups rather than sending [].
  if (persona.roles.length) claims.roles = [...persona.roles];
  if (persona.groups.length > groupsClaimLimit) {
    claims._claim_names = { groups: "src1" };
    claims._claim_sources = { src1: { endpoint: `${graphEndpoint}/v1.0/users/${persona.oid}/getMemberObjects` } };
  } else if (persona.groups.length) {
    claims.groups = [...persona.groups];
  }
  return claims;
}

// Entra ignores the port of http://localhost redirect URIs; Wharf dev servers
// pick ports freely, so any loopback port matches a registered path.
function isLoopbackCallback(value: string, registered: readonly string[]): boolean {
  const url = URL.parse(value);
  if (!url || url.protocol !== "http:" || url.hostname !== "localhost") return false;
  return registered.some((r) => {
    const allowed = URL.parse(r);
    return allowed?.protocol === "http:" && allowed.hostname === "localhost" && allowed.pathname === url.pathname && allowed.search === url.search;
  });
}

function interactionPolicyAlwaysPicking() {
  const policy = interactionPolicy.base();
  // No consent screen: Wharf is a first-party app, grants are made in loadExistingGrant.
  policy.remove("consent");
  // Always show the picker (like prompt=select_account) so a tester can switch
  // persona without clearing cookies.
  policy
    .get("login")
    ?.checks.push(
      new interactionPolicy.Check("sandbox_pick_persona", "the sandbox asks for a persona on every sign-in", (ctx) =>
        ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT : interactionPolicy.Check.REQUEST_PROMPT,
      ),
    );
  return policy;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * The request again, with `form` as a body still to be read: oidc-provider reads the body itself, and given one a
 * middleware already read (`req.body`, as behind express) it prints a warning at the first token request that a user of
 * `npm start` would take for an error.
 */
function withBody(req: IncomingMessage & { originalUrl?: string }, form: URLSearchParams): IncomingMessage {
  const body = Buffer.from(form.toString(), "utf8");
  const copy = new IncomingMessage(req.socket) as IncomingMessage & { originalUrl?: string };
  copy.method = req.method;
  copy.url = req.url;
  copy.originalUrl = req.originalUrl;
  copy.httpVersion = req.httpVersion;
  copy.headers = { ...req.headers, "content-length": String(body.length) };
  // Read to its end, it is complete: without this, Node takes the stream's end for an abort and closes the socket.
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
  res.end(html);
}

export function createIdentity(options: IdentityOptions): Identity {
  const { issuer, tenantId, graphEndpoint } = options;
  const mountPath = new URL(issuer).pathname.replace(/\/$/, "");
  const defaultRedirectUris = ["http://localhost:3000/auth/callback", "http://localhost:3100/auth/callback"];
  const redirectUris = [...new Set([...defaultRedirectUris, ...options.redirectUris])];

  const provider = new Provider(issuer, {
    ...(options.store && { adapter: options.store.Adapter }),
    clients: [
      {
        client_id: sandboxClientId,
        client_secret: options.clientSecret,
        client_name: "Wharf",
        redirect_uris: redirectUris,
        post_logout_redirect_uris: redirectUris.map((u) => new URL("/", u).href),
        grant_types: ["authorization_code", "refresh_token", "client_credentials"],
        response_types: ["code"],
        // MSAL sends the secret in the form body.
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    async findAccount(_ctx: unknown, id: string): Promise<Account | undefined> {
      const persona = findPersonaByOid(id);
      if (!persona) return undefined;
      return { accountId: persona.oid, claims: () => claimsFor(persona, tenantId, graphEndpoint) };
    },
    claims: {
      // email rides on openid as if Wharf's app registration had the `email`
      // optional claim configured; Entra sends it only then or with the email scope.
      openid: ["sub", "oid", "tid", "ver", "groups", "roles", "email"],
      profile: ["name", "preferred_username"],
      email: ["email"],
    },
    // `.default` scopes are what MSAL's client-credentials call asks for.
    scopes: [
      "openid",
      "profile",
      "email",
      "offline_access",
      "User.Read",
      `${graphEndpoint}/.default`,
      "https://graph.microsoft.com/.default",
      "https://management.azure.com/.default",
      "https://api.loganalytics.io/.default",
      "https://containerregistry.azure.net/.default",
      // Azure Database for PostgreSQL's, for WHARF_DATABASE_AUTH=entra (lib/azure/database-connection.ts).
      "https://ossrdbms-aad.database.windows.net/.default",
    ],
    // Entra puts profile claims in the id_token itself; MSAL reads them from there.
    conformIdTokenClaims: false,
    responseTypes: ["code"],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
    },
    interactions: {
      policy: interactionPolicyAlwaysPicking(),
      url: (_ctx: unknown, interaction: { uid: string }) => `${mountPath}/interaction/${interaction.uid}`,
    },
    async loadExistingGrant(ctx: KoaContext & { oidc: Required<Pick<OidcContext, "client" | "session" | "params">> & OidcContext }) {
      const { client, session, params } = ctx.oidc;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      let grant: Grant | undefined = grantId ? await provider.Grant.find(grantId) : undefined;
      if (!grant || grant.accountId !== session.accountId) {
        grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      }
      grant.addOIDCScope(typeof params.scope === "string" ? params.scope : "openid");
      await grant.save();
      return grant;
    },
    // oidc-provider (per OIDC Core) drops offline_access unless prompt=consent;
    // Entra honours it as MSAL always sends it, so refresh tokens are issued
    // whenever the client may use them, and outlive the browser session.
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(type: string): boolean }) => client.grantTypeAllowed("refresh_token"),
    expiresWithSession: async () => false,
    clientBasedCORS: () => false,
    async renderError(ctx: KoaContext, out: { error: string; error_description?: string }) {
      ctx.type = "html";
      ctx.body = renderInteractionError(`${out.error}: ${out.error_description ?? "the request was refused"}`);
    },
    jwks: options.signingKeys,
    cookies: { keys: options.cookieKeys },
    ttl: {
      AccessToken: 3600,
      ClientCredentials: 3600,
      IdToken: 3600,
      AuthorizationCode: 600,
      Interaction: 3600,
      Grant: 14 * 24 * 3600,
      Session: 14 * 24 * 3600,
      RefreshToken: 14 * 24 * 3600,
    },
  });

  const originalRedirectUriAllowed = provider.Client.prototype.redirectUriAllowed;
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value: string) {
    return originalRedirectUriAllowed.call(this, value) || isLoopbackCallback(value, this.redirectUris);
  };

  // Browser-facing endpoints point at the plain-http origin (see browserOrigin).
  provider.use(async (ctx, next) => {
    await next();
    if (options.browserOrigin && ctx.oidc?.route === "discovery" && ctx.status === 200) {
      const metadata = ctx.body as Record<string, unknown>;
      for (const key of ["authorization_endpoint", "end_session_endpoint"]) {
        const value = metadata[key];
        if (typeof value === "string") metadata[key] = `${options.browserOrigin}${new URL(value).pathname}`;
      }
    }
  });

  // MSAL sends client_info=1 and builds the account's home id from the answer.
  provider.use(async (ctx, next) => {
    await next();
    const body = ctx.body as Record<string, unknown> | undefined;
    const accountId = ctx.oidc?.entities.Account?.accountId;
    if (ctx.oidc?.route === "token" && ctx.status === 200 && body && accountId && ctx.oidc.body?.client_info === "1") {
      body.client_info = Buffer.from(JSON.stringify({ uid: accountId, utid: tenantId })).toString("base64url");
    }
  });

  const callback = provider.callback();

  async function handleInteraction(req: IncomingMessage, res: ServerResponse, rest: string): Promise<void> {
    const [uid, action] = rest.split("/");
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error("interaction does not match this browser's sign-in cookie");
      if (req.method === "GET" && action === undefined) {
        sendHtml(
          res,
          200,
          renderPersonaPicker({
            loginAction: `${mountPath}/interaction/${uid}/login`,
            cancelAction: `${mountPath}/interaction/${uid}/abort`,
            clientName: "Wharf",
            personas: sandboxPersonas,
          }),
        );
        return;
      }
      if (req.method === "POST" && action === "abort") {
        await provider.interactionFinished(
          req,
          res,
          {
            error: "access_denied",
            error_description: "AADSTS65004: User declined to consent to access the app. (Wharf sandbox: Cancel was chosen on the persona picker.)",
          },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      if (req.method === "POST" && action === "login") {
        const persona = findPersona((await readForm(req)).get("persona") ?? "");
        if (!persona) {
          sendHtml(res, 400, renderInteractionError("Unknown persona: go back and choose one of the listed buttons."));
          return;
        }
        await forgetPreviousPersona(details, persona.oid);
        await provider.interactionFinished(req, res, { login: { accountId: persona.oid } }, { mergeWithLastSubmission: false });
        return;
      }
      sendHtml(res, 404, renderInteractionError("No such sign-in step."));
    } catch (error) {
      const described = error as { message?: string; error_description?: string };
      const message = described.error_description ?? described.message ?? String(error);
      sendHtml(res, 400, renderInteractionError(`This sign-in has expired or its cookie is missing (${message}). Start again from Wharf.`));
    }
  }

  // oidc-provider would otherwise answer a persona switch with a logout
  // confirmation form; the sandbox just signs the previous persona out of the
  // session, and tells the pending interaction so it does not see a stranger.
  async function forgetPreviousPersona(details: InteractionDetails, nextOid: string) {
    const previous = details.session;
    if (!previous?.accountId || previous.accountId === nextOid) return;
    const stored = await provider.Session.findByUid(previous.uid);
    if (stored) {
      stored.accountId = undefined;
      stored.authorizations = undefined;
      await stored.persist();
    }
    previous.accountId = undefined;
    await details.save(details.exp - Math.floor(Date.now() / 1000));
  }

  // MSAL asks for offline_access again when it refreshes; Entra accepts that,
  // oidc-provider refuses it because its refresh tokens never carry the scope
  // (see issueRefreshToken above). Removing it from the request bridges the two.
  function dropOfflineAccessOnRefresh(form: URLSearchParams): void {
    const scope = form.get("scope");
    if (form.get("grant_type") === "refresh_token" && scope) {
      form.set(
        "scope",
        scope
          .split(" ")
          .filter((s) => s !== "offline_access")
          .join(" "),
      );
    }
  }

  // Pipeline identities' tokens are JWTs minted outside oidc-provider (see sandbox/pipelines.ts).
  const signingKey = options.signingKeys.keys[0];
  const pipelines =
    options.pipelineSecrets && signingKey
      ? createPipelineTokens({ issuer, tenantId, wharfClientId: sandboxClientId, signingKey, secrets: options.pipelineSecrets })
      : undefined;

  /** null when the request was answered here (a pipeline identity's token request); otherwise the request for oidc-provider. */
  async function handleTokenRequest(req: IncomingMessage, res: ServerResponse): Promise<IncomingMessage | null> {
    const form = await readForm(req);
    if (pipelines && (await pipelines.handleTokenRequest(req, form, res))) return null;
    dropOfflineAccessOnRefresh(form);
    return withBody(req, form);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const interactionPrefix = `${mountPath}/interaction/`;
    if (url.startsWith(interactionPrefix)) {
      await handleInteraction(req, res, url.slice(interactionPrefix.length).split("?")[0] ?? "");
      return;
    }
    // Mounted the way express does it: oidc-provider derives its mount path
    // from originalUrl minus url, so generated endpoint URLs keep the prefix.
    const mounted = req as IncomingMessage & { originalUrl?: string };
    mounted.originalUrl = url;
    const rest = url.slice(mountPath.length);
    req.url = rest.startsWith("/") ? rest : `/${rest}`;
    if (req.method === "POST" && req.url.split("?")[0] === "/token") {
      const forProvider = await handleTokenRequest(req, res);
      if (forProvider) callback(forProvider, res);
      return;
    }
    callback(req, res);
  }

  function isBrowserPath(url: string): boolean {
    const path = url.split("?")[0] ?? "";
    return ["/auth", "/interaction/", "/session/end"].some((suffix) =>
      suffix.endsWith("/") ? path.startsWith(`${mountPath}${suffix}`) : path === `${mountPath}${suffix}` || path.startsWith(`${mountPath}${suffix}/`),
    );
  }

  return { provider, mountPath, handle, isBrowserPath, pipelines };
}
