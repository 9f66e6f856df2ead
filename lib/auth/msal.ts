// One MSAL confidential client per process, for a real tenant or the sandbox;
// only the configuration differs.
import { readFileSync } from "node:fs";
import { ConfidentialClientApplication, LogLevel, ProtocolMode, type Configuration } from "@azure/msal-node";
import type { IdentityConfig } from "@/lib/config";
import { networkClient } from "@/lib/auth/https-client";

let client: { key: string; app: ConfidentialClientApplication } | undefined;

export function msalConfiguration(identity: IdentityConfig): Configuration {
  const federatedTokenFile = identity.federatedTokenFile;
  return {
    auth: {
      clientId: identity.clientId,
      authority: identity.authority,
      knownAuthorities: identity.knownAuthorities,
      ...(identity.clientSecret
        ? { clientSecret: identity.clientSecret }
        : // Workload identity: the projected token file is rotated by AKS, so read it per request.
          { clientAssertion: async () => readFileSync(federatedTokenFile!, "utf8").trim() }),
    },
    system: {
      protocolMode: identity.protocolMode === "OIDC" ? ProtocolMode.OIDC : ProtocolMode.AAD,
      networkClient: networkClient(identity.caFile),
      loggerOptions: { logLevel: LogLevel.Error, piiLoggingEnabled: false, loggerCallback: () => {} },
    },
  };
}

export function msalClient(identity: IdentityConfig): ConfidentialClientApplication {
  const key = `${identity.authority}|${identity.clientId}`;
  if (client?.key !== key) client = { key, app: new ConfidentialClientApplication(msalConfiguration(identity)) };
  return client.app;
}
