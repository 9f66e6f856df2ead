// Microsoft Graph stand-in: just the calls Wharf makes to resolve the groups
// overage and name groups, with Graph-shaped errors so Wharf's error paths run.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Provider } from "oidc-provider";
import { findGroup, findPersonaByOid } from "./personas";

type Caller = { kind: "user"; oid: string } | { kind: "app"; clientId: string };

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; odata.metadata=minimal", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

function graphError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": crypto.randomUUID() } } });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text ? JSON.parse(text) : {};
}

async function authenticate(provider: Provider, req: IncomingMessage): Promise<Caller | undefined> {
  const match = /^Bearer (.+)$/i.exec(req.headers.authorization ?? "");
  const value = match?.[1];
  if (!value) return undefined;
  const user = await provider.AccessToken.find(value);
  if (user && !user.isExpired && user.accountId) return { kind: "user", oid: user.accountId };
  const app = await provider.ClientCredentials.find(value);
  if (app && !app.isExpired && app.clientId) return { kind: "app", clientId: app.clientId };
  return undefined;
}

export function createGraph(provider: Provider, graphBase: string) {
  async function memberObjects(req: IncomingMessage, res: ServerResponse, caller: Caller, userId: string | "me") {
    if (userId === "me" && caller.kind !== "user") {
      graphError(res, 400, "BadRequest", "/me request is only valid with delegated authentication flow.");
      return;
    }
    const oid = userId === "me" && caller.kind === "user" ? caller.oid : userId;
    // A delegated token may read its own memberships; other users need an app token,
    // as with User.Read versus Directory.Read.All in a real tenant.
    if (caller.kind === "user" && caller.oid !== oid) {
      graphError(res, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
      return;
    }
    let body: unknown;
    try {
      body = await readJson(req);
    } catch {
      graphError(res, 400, "BadRequest", 'Unable to read JSON request payload. Send {"securityEnabledOnly": true|false}.');
      return;
    }
    const securityEnabledOnly = (body as { securityEnabledOnly?: unknown } | null)?.securityEnabledOnly;
    if (typeof securityEnabledOnly !== "boolean") {
      graphError(res, 400, "Request_BadRequest", "The parameter 'securityEnabledOnly' is required and must be a boolean.");
      return;
    }
    const persona = findPersonaByOid(oid);
    if (!persona) {
      graphError(res, 404, "Request_ResourceNotFound", `Resource '${oid}' does not exist or one of its queried reference-property objects are not present.`);
      return;
    }
    // Every sandbox group is a security group, so the flag does not change the answer.
    sendJson(res, 200, { "@odata.context": `${graphBase}/v1.0/$metadata#Collection(Edm.String)`, value: [...persona.groups] });
  }

  return async function handleGraph(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const caller = await authenticate(provider, req);
    if (!caller) {
      res.setHeader("www-authenticate", 'Bearer realm="", authorization_uri="", error="invalid_token"');
      graphError(res, 401, "InvalidAuthenticationToken", "Access token is empty, expired or not issued by the Wharf sandbox.");
      return;
    }
    const me = /^\/graph\/v1\.0\/me\/getMemberObjects$/.exec(path);
    const user = /^\/graph\/v1\.0\/users\/([^/]+)\/getMemberObjects$/.exec(path);
    const group = /^\/graph\/v1\.0\/groups\/([^/]+)$/.exec(path);
    if ((me || user) && req.method !== "POST") {
      graphError(res, 405, "Request_BadRequest", "getMemberObjects only accepts POST.");
    } else if (me) {
      await memberObjects(req, res, caller, "me");
    } else if (user?.[1]) {
      await memberObjects(req, res, caller, decodeURIComponent(user[1]));
    } else if (group?.[1] && req.method === "GET") {
      const found = findGroup(decodeURIComponent(group[1]));
      if (found) {
        sendJson(res, 200, {
          "@odata.context": `${graphBase}/v1.0/$metadata#groups/$entity`,
          id: found.id,
          displayName: found.displayName,
          securityEnabled: true,
        });
      } else {
        graphError(
          res,
          404,
          "Request_ResourceNotFound",
          `Resource '${group[1]}' does not exist or one of its queried reference-property objects are not present.`,
        );
      }
    } else {
      graphError(res, 400, "BadRequest", `The sandbox Graph does not serve ${req.method} ${path}.`);
    }
  };
}
