// A private HTTPS sandbox for the ARM tests: the real identity provider and the
// ARM handler behind the sandbox's TLS, routed the way sandbox/server.ts
// routes them, so the tests do not depend on the shared sandbox's wiring.
import type { Identity } from "../identity";
import { startIdentityTestServer } from "../test-support/identity-test-server";
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
  const server = await startIdentityTestServer("wharf-arm-");
  const { origin, stateDir, tls, identity } = server;
  const arm = createArm({ provider: identity.provider, origin, stateDir, caPem: tls.caCertPem });
  server.serve("ARM", (req, res, url) => (url.startsWith("/subscriptions/") ? arm(req, res) : false));
  return { origin, graphEndpoint: server.graphEndpoint, caPem: tls.caCertPem, clientSecret: server.clientSecret, stateDir, identity, close: server.close };
}
