// A private HTTPS sandbox for the Cost Management tests: the real identity
// provider and the cost handler behind the sandbox's TLS, with a clock and a
// QPU ledger of their own, so tests neither depend on today's date nor share
// the tenant's quota with every other test in the run.
import { ClientSecretCredential } from "@azure/identity";
import { CostManagementClient } from "@azure/arm-costmanagement";
import { armScope } from "../arm/authenticate";
import { sandboxClientId } from "../identity";
import { sandboxTenantId } from "../personas";
import { startIdentityTestServer } from "../test-support/identity-test-server";
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

export async function startCostTestSandbox(
  options: Pick<CostManagementOptions, "currency" | "pageSize" | "now"> & { clock?: () => number } = {},
): Promise<CostTestSandbox> {
  const server = await startIdentityTestServer("wharf-cost-");
  const { origin, tls, identity, clientSecret } = server;
  const cost = createCostManagement({ provider: identity.provider, origin, ...options, ledger: new QpuLedger(options.clock) });
  server.serve("cost", (req, res, url) => (/\/providers\/microsoft\.costmanagement\//i.test(url) ? cost(req, res) : false));

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
    close: server.close,
  };
}
