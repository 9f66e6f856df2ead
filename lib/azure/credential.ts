// Wharf's own identity towards Azure (ARM, later Logs and Cost Management):
// a client secret, workload identity on AKS, or the sandbox's stand-in.
import { readFileSync } from "node:fs";
import { ClientSecretCredential, WorkloadIdentityCredential, type TokenCredential } from "@azure/identity";
import type { WharfConfig } from "@/lib/config";

let cached: { key: string; credential: TokenCredential } | undefined;

/** The sandbox's CA for Azure SDK clients (`tlsOptions`), or undefined against real Azure. */
export function azureTlsOptions(config: Pick<WharfConfig, "identity">): { ca: string } | undefined {
  return config.identity.caFile ? { ca: readFileSync(config.identity.caFile, "utf8") } : undefined;
}

export function azureCredential(config: Pick<WharfConfig, "identity" | "azure" | "mode">): TokenCredential {
  const { identity } = config;
  const key = `${config.azure.authorityHost}|${identity.tenantId}|${identity.clientId}`;
  if (cached?.key === key) return cached.credential;
  const tlsOptions = azureTlsOptions(config);
  const common = {
    authorityHost: config.azure.authorityHost,
    // The sandbox is not a Microsoft cloud: skip the instance discovery that would call login.microsoftonline.com.
    disableInstanceDiscovery: config.mode === "sandbox",
    ...(tlsOptions && { tlsOptions }),
  };
  const credential = identity.clientSecret
    ? new ClientSecretCredential(identity.tenantId, identity.clientId, identity.clientSecret, common)
    : new WorkloadIdentityCredential({ ...common, tenantId: identity.tenantId, clientId: identity.clientId, tokenFilePath: identity.federatedTokenFile! });
  cached = { key, credential };
  return credential;
}

/** Azure Resource Manager's token scope (the sandbox's ARM stand-in checks the same audience). */
export const armScope = "https://management.azure.com/.default";
