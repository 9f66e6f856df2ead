// A private HTTPS sandbox for the Cost Management tests: the real identity
// provider and the cost handler behind the sandbox's TLS, with a clock and a
// QPU ledger of their own, so tests neither depend on today's date nor share
// the tenant's quota with every other test in the run.
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientSecretCredential } from "@azure/identity";
import { CostManagementClient } from "@azure/arm-costmanagement";
import { armScope } from "../arm/authenticate";
import { ensureSandboxTls } from "../ca";
import { createIdentity, loadOrCreateClientSecret, loadOrCreateCookieKeys, loadOrCreateSigningKeys, sandboxClientId } from "../identity";
import { sandboxTenantId } from "../personas";
import { createCostManagement, type CostManagementHandler, type CostManagementOptions } from "./cost-management";
import { QpuLedger } from "./quota";

export interface CostTestSandbox {
  origin: string;
  caPem: string;
  cost: CostManagementHandler;
  /** The real client as Wharf configures it: endpoint, ARM scope, the sandbox CA. */
  client: CostManagementClient;
  credential: ClientSecretCredential;
  close(): Promise<void>;
}

export async function startCostTestSandbox(options: Pick<CostManagementOptions, "currency" | "pageSize" | "now"> & { clock?: () => number } = {}): Promise<CostTestSandbox> {
  const stateDir = mkdtempSync(join(tmpdir(), "wharf-cost-"));
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
  const clientSecret = loadOrCreateClientSecret(stateDir);
  const identity = createIdentity({
    issuer: `${origin}/${sandboxTenantId}/v2.0`,
    tenantId: sandboxTenantId,
    graphEndpoint: `${origin}/graph`,
    clientSecret,
    redirectUris: [],
    signingKeys: loadOrCreateSigningKeys(stateDir),
    cookieKeys: loadOrCreateCookieKeys(stateDir),
  });
  const cost = createCostManagement({ provider: identity.provider, origin, ...options, ledger: new QpuLedger(options.clock) });
  route = async (req, res) => {
    const url = req.url ?? "/";
    if (/\/providers\/microsoft\.costmanagement\//i.test(url)) return cost(req, res);
    if (url.startsWith(`${identity.mountPath}/`)) return identity.handle(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end(`not routed in the cost test sandbox: ${url}`);
  };
  const credential = new ClientSecretCredential(sandboxTenantId, sandboxClientId, clientSecret, {
    authorityHost: origin,
    disableInstanceDiscovery: true,
    tlsOptions: { ca: tls.caCertPem },
  });
  const client = new CostManagementClient(credential, { endpoint: origin, credentialScopes: [armScope], tlsOptions: { ca: tls.caCertPem } });

  return {
    origin,
    caPem: tls.caCertPem,
    cost,
    client,
    credential,
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
