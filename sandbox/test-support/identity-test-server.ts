// A private HTTPS server with the sandbox's TLS and its real identity
// provider, for tests of one stand-in (ARM, Cost Management) apart from the
// shared sandbox: each test sandbox adds its own routes with `serve`.
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureSandboxTls, type SandboxTls } from "../ca";
import { createIdentity, loadOrCreateClientSecret, loadOrCreateCookieKeys, loadOrCreateSigningKeys, type Identity } from "../identity";
import { sandboxTenantId } from "../personas";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

export interface IdentityTestServer {
  origin: string;
  graphEndpoint: string;
  stateDir: string;
  tls: SandboxTls;
  clientSecret: string;
  identity: Identity;
  /** Routes requests to `handler` first; what it leaves unanswered (returns false) goes to the identity provider or a 404. */
  serve(name: string, handler: (req: IncomingMessage, res: ServerResponse, url: string) => Promise<void> | false): void;
  close(): Promise<void>;
}

export async function startIdentityTestServer(prefix: string): Promise<IdentityTestServer> {
  const stateDir = mkdtempSync(join(tmpdir(), prefix));
  const tls = ensureSandboxTls(stateDir);
  let route: Handler = async (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer({ cert: tls.serverCertPem, key: tls.serverKeyPem }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const origin = `https://localhost:${(server.address() as AddressInfo).port}`;
  const graphEndpoint = `${origin}/graph`;
  const clientSecret = loadOrCreateClientSecret(stateDir);
  const identity = createIdentity({
    issuer: `${origin}/${sandboxTenantId}/v2.0`,
    tenantId: sandboxTenantId,
    graphEndpoint,
    clientSecret,
    redirectUris: [],
    signingKeys: loadOrCreateSigningKeys(stateDir),
    cookieKeys: loadOrCreateCookieKeys(stateDir),
  });
  return {
    origin,
    graphEndpoint,
    stateDir,
    tls,
    clientSecret,
    identity,
    serve(name, handler) {
      route = async (req, res) => {
        const url = req.url ?? "/";
        const answered = handler(req, res, url);
        if (answered !== false) return answered;
        if (url.startsWith(`${identity.mountPath}/`)) return identity.handle(req, res);
        res.writeHead(404, { "content-type": "text/plain" }).end(`not routed in the ${name} test sandbox: ${url}`);
      };
    },
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
