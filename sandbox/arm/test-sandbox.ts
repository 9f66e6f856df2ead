// A private HTTPS sandbox for the ARM tests: the real identity provider and the
// ARM handler behind the sandbox's TLS, routed the way sandbox/server.ts
// routes them, so the tests do not depend on the shared sandbox's wiring.
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureSandboxTls } from "../ca";
import { createIdentity, loadOrCreateClientSecret, loadOrCreateCookieKeys, loadOrCreateSigningKeys, type Identity } from "../identity";
import { sandboxTenantId } from "../personas";
import { createArm } from "./arm";

export interface ArmTestSandbox {
  origin: string;
  graphEndpoint: string;
  caPem: string;
  clientSecret: string;
  stateDir: string;
  identity: Identity;
  close(): Promise<void>;
}

export async function startArmTestSandbox(): Promise<ArmTestSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), "wharf-arm-"));
  const tls = ensureSandboxTls(stateDir);
  let route: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
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
  const arm = createArm({ provider: identity.provider, origin, stateDir, caPem: tls.caCertPem });
  route = async (req, res) => {
    const url = req.url ?? "/";
    if (url.startsWith("/subscriptions/")) return arm(req, res);
    if (url.startsWith(`${identity.mountPath}/`)) return identity.handle(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end(`not routed in the ARM test sandbox: ${url}`);
  };

  return {
    origin,
    graphEndpoint,
    caPem: tls.caCertPem,
    clientSecret,
    stateDir,
    identity,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
