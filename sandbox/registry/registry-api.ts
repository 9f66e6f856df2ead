// Azure Container Registry's data plane, as the real @azure/container-registry
// client calls it, under /registries/<login server>/ on the sandbox's origin:
//  - a request without an ACR access token gets 401 and ACR's challenge
//    (`WWW-Authenticate: Bearer realm=...,service=...,scope=...`);
//  - POST /oauth2/exchange turns an Entra token (audience the registry's or ARM's)
//    into an ACR refresh token, POST /oauth2/token that into an access token for
//    the challenge's scope; both are JWTs, as the client reads the refresh token's `exp`;
//  - GET /acr/v1/{name}/_tags (paging by `n` and `last`, a Link header to the next
//    page, `orderby=timedesc|timeasc`), /_tags/{tag} and /_manifests/{digest}.
// Errors carry ACR's body `{"errors":[{"code","message"}]}`.
import { createHmac, randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider } from "oidc-provider";
import { armScope, authenticateBearer, type Audience } from "../arm/authenticate";
import { repositoryKnown, repositoryTags, sandboxRegistries, type SandboxRegistry, type SandboxTag } from "../registries";

/** What ContainerRegistryClient's credential asks Entra for by default (its `audience` option). */
export const registryScope = "https://containerregistry.azure.net/.default";
const registryAudiences: Audience[] = [
  { scope: registryScope, allowed: "'https://containerregistry.azure.net'" },
  { scope: armScope, allowed: "'https://management.azure.com'" },
];

/** Where the sandbox serves a registry: ContainerRegistryClient's endpoint for it. */
export const registryPathPrefix = "/registries/";
export const registryEndpoint = (origin: string, registry: Pick<SandboxRegistry, "loginServer">) => `${origin}${registryPathPrefix}${registry.loginServer}`;

const refreshLifetimeSeconds = 3 * 3600;
const accessLifetimeSeconds = 75 * 60;
const defaultPageSize = 100;

export interface RegistryApiOptions {
  provider: Provider;
  origin: string;
}

type Claims = {
  aud: string;
  exp: number;
  grant_type: "refresh_token" | "access_token";
  sub: string;
  access?: { type: string; name: string; actions: string[] }[];
};

export type RegistryHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "docker-distribution-api-version": "registry/2.0",
    "x-ms-correlation-request-id": randomUUID(),
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function sendAcrError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ code, message, detail: null }] }, headers);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64_000) throw new Error("form too large");
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function tagBody(tag: SandboxTag) {
  return {
    name: tag.name,
    digest: tag.digest,
    createdTime: tag.createdTime,
    lastUpdateTime: tag.lastUpdateTime,
    signed: false,
    changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
  };
}

export function createRegistryApi({ provider, origin }: RegistryApiOptions): RegistryHandler {
  // Tokens of one sandbox run: a restart invalidates them, and the client exchanges again.
  const key = randomBytes(32);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const sign = (claims: Claims) => {
    const unsigned = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ ...claims, iss: "Azure Container Registry", jti: randomUUID() })}`;
    return `${unsigned}.${createHmac("sha256", key).update(unsigned).digest("base64url")}`;
  };
  const verify = (token: string, service: string, kind: Claims["grant_type"]): Claims | undefined => {
    const [header, payload, signature] = token.split(".");
    if (!header || !payload || !signature) return undefined;
    const expected = createHmac("sha256", key).update(`${header}.${payload}`).digest("base64url");
    if (expected !== signature) return undefined;
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Claims;
    if (claims.grant_type !== kind || claims.aud !== service || claims.exp * 1000 < Date.now()) return undefined;
    return claims;
  };

  return async function handleRegistry(req, res) {
    const url = new URL(req.url ?? "/", origin);
    const rest = url.pathname.slice(registryPathPrefix.length);
    const slash = rest.indexOf("/");
    const loginServer = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash)).toLowerCase();
    const path = slash === -1 ? "/" : rest.slice(slash);
    const registry = sandboxRegistries.find((r) => r.loginServer === loginServer);
    if (!registry) {
      // A registry that does not exist has no DNS name: the nearest thing here is a 404 with no ACR body.
      sendJson(res, 404, {
        error: "not_found",
        message: `The sandbox has no registry ${loginServer}; it has ${sandboxRegistries.map((r) => r.loginServer).join(", ")}.`,
      });
      return;
    }
    const service = registry.loginServer;
    const endpoint = registryEndpoint(origin, registry);

    if (req.method === "POST" && path === "/oauth2/exchange") {
      const form = await readForm(req);
      if (form.get("grant_type") !== "access_token" || !form.get("access_token")) {
        sendAcrError(res, 400, "UNSUPPORTED", "grant_type must be access_token, with access_token an Entra ID token.");
        return;
      }
      if (form.get("service") !== service) {
        sendAcrError(res, 400, "UNSUPPORTED", `service must be ${service}.`);
        return;
      }
      const fake = { headers: { authorization: `Bearer ${form.get("access_token")}` } } as IncomingMessage;
      let caller = await authenticateBearer(provider, fake, registryAudiences[0]!);
      if (!caller.ok && caller.reason === "audience") caller = await authenticateBearer(provider, fake, registryAudiences[1]!);
      if (!caller.ok) {
        sendAcrError(res, 401, "UNAUTHORIZED", caller.message);
        return;
      }
      const exp = Math.floor(Date.now() / 1000) + refreshLifetimeSeconds;
      sendJson(res, 200, { refresh_token: sign({ aud: service, exp, grant_type: "refresh_token", sub: caller.clientId }) });
      return;
    }
    if (req.method === "POST" && path === "/oauth2/token") {
      const form = await readForm(req);
      const scope = form.get("scope") ?? "";
      const refresh = form.get("grant_type") === "refresh_token" ? verify(form.get("refresh_token") ?? "", service, "refresh_token") : undefined;
      if (!refresh) {
        sendAcrError(res, 401, "UNAUTHORIZED", "The refresh token is invalid or expired; exchange an Entra ID token at /oauth2/exchange again.");
        return;
      }
      const access = scope
        .split(" ")
        .filter(Boolean)
        .map((one) => {
          const [type = "", name = "", actions = ""] = one.split(":");
          return { type, name, actions: actions.split(",").filter(Boolean) };
        });
      const exp = Math.floor(Date.now() / 1000) + accessLifetimeSeconds;
      sendJson(res, 200, { access_token: sign({ aud: service, exp, grant_type: "access_token", sub: refresh.sub, access }) });
      return;
    }

    const route = /^\/acr\/v1\/(.+?)\/(_tags|_manifests)(?:\/([^/]+))?\/?$/.exec(path);
    if (req.method !== "GET" || !route) {
      sendAcrError(
        res,
        404,
        "UNSUPPORTED",
        `The sandbox registry serves /oauth2/exchange, /oauth2/token and GET /acr/v1/{name}/_tags[/{tag}] and /_manifests/{digest}, not ${req.method} ${path}.`,
      );
      return;
    }
    const repository = decodeURIComponent(route[1]!);
    const kind = route[2] as "_tags" | "_manifests";
    const reference = route[3] === undefined ? undefined : decodeURIComponent(route[3]);
    const action = kind === "_tags" && reference === undefined ? "metadata_read" : "pull";

    const bearer = /^Bearer +(\S+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const claims = bearer ? verify(bearer, service, "access_token") : undefined;
    const allowed = claims?.access?.some((a) => a.type === "repository" && a.name === repository && (a.actions.includes(action) || a.actions.includes("*")));
    if (!allowed) {
      const challenge = `Bearer realm="${endpoint}/oauth2/token",service="${service}",scope="repository:${repository}:${action}"`;
      sendAcrError(res, 401, "UNAUTHORIZED", "authentication required, visit https://aka.ms/acr/authorization for more information.", {
        "www-authenticate": challenge,
      });
      return;
    }
    if (!repositoryKnown(repository)) {
      sendAcrError(res, 404, "NAME_UNKNOWN", `repository name not known to registry`);
      return;
    }
    const tags = repositoryTags(service, repository);

    if (kind === "_tags" && reference !== undefined) {
      const tag = tags.find((t) => t.name === reference);
      if (!tag) return sendAcrError(res, 404, "TAG_UNKNOWN", `the specified tag does not exist`);
      sendJson(res, 200, { registry: service, imageName: repository, tag: tagBody(tag) });
      return;
    }
    if (kind === "_manifests") {
      const tagged = tags.filter((t) => t.digest === reference);
      const first = tagged[0];
      if (!reference || !first) return sendAcrError(res, 404, "MANIFEST_UNKNOWN", `manifest ${reference ?? ""} is not found`);
      sendJson(res, 200, {
        registry: service,
        imageName: repository,
        manifest: {
          digest: first.digest,
          imageSize: first.imageSize,
          createdTime: first.createdTime,
          lastUpdateTime: first.lastUpdateTime,
          architecture: "amd64",
          os: "linux",
          mediaType: "application/vnd.docker.distribution.manifest.v2+json",
          configMediaType: "application/vnd.docker.container.image.v1+json",
          tags: tagged.map((t) => t.name),
          changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
        },
      });
      return;
    }

    // Listing: ordered by name unless orderby says by time; `last` is the tag the previous page ended with.
    const orderby = url.searchParams.get("orderby");
    const ordered =
      orderby === "timedesc" ? tags : orderby === "timeasc" ? [...tags].reverse() : [...tags].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const n = Math.max(1, Math.min(Number(url.searchParams.get("n") ?? defaultPageSize) || defaultPageSize, 1000));
    const last = url.searchParams.get("last");
    const start = last === null ? 0 : ordered.findIndex((t) => t.name === last) + 1;
    const page = ordered.slice(start, start + n);
    const headers: Record<string, string> = {};
    if (start + n < ordered.length && page.length) {
      const next = new URLSearchParams({ last: page.at(-1)!.name, n: String(n), ...(orderby ? { orderby } : {}) });
      headers.link = `</acr/v1/${repository}/_tags?${next.toString()}>; rel="next"`;
    }
    sendJson(res, 200, { registry: service, imageName: repository, tags: page.map(tagBody) }, headers);
  };
}
