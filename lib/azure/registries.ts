// Azure Container Registry, reshaped into Wharf's own types at this border as
// clusters.ts does for AKS: which registries Wharf's subscriptions hold (ARM,
// @azure/arm-containerregistry) and a repository's tags (the registry's data
// plane, @azure/container-registry, which exchanges Wharf's Entra token for
// an ACR token itself). Decision 0059.
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { ContainerRegistryClient } from "@azure/container-registry";
import type { WharfConfig } from "@/lib/config";
import { armScope, azureCredential, azureTlsOptions } from "@/lib/azure/credential";
import { describeAzureError } from "@/lib/azure/clusters";

type AzureConfig = Pick<WharfConfig, "identity" | "azure" | "mode">;

export interface ContainerRegistry {
  /** The ARM resource id. */
  id: string;
  name: string;
  subscriptionId: string;
  /** The host image references name, such as contoso.azurecr.io. */
  loginServer: string;
}

export interface RegistryDiscovery {
  registries: ContainerRegistry[];
  failures: { subscriptionId: string; message: string }[];
}

export interface RegistryTag {
  name: string;
  digest: string;
  createdOn: Date;
  lastUpdatedOn: Date;
}

/** Where a tag listing stops: a repository with more tags than this shows the newest ones. */
export const maxTagsListed = 200;

export async function discoverRegistries(config: AzureConfig): Promise<RegistryDiscovery> {
  const tlsOptions = azureTlsOptions(config);
  const results = await Promise.all(
    config.azure.subscriptionIds.map(async (subscriptionId) => {
      try {
        const client = new ContainerRegistryManagementClient(azureCredential(config), subscriptionId, {
          endpoint: config.azure.armEndpoint,
          // This client would ask for `${endpoint}/.default`; ARM's audience is management.azure.com's, against Azure as against the sandbox.
          credentials: { scopes: [armScope] },
          ...(tlsOptions && { tlsOptions }),
        });
        const registries: ContainerRegistry[] = [];
        for await (const registry of client.registries.list()) {
          if (!registry.loginServer) continue;
          registries.push({ id: registry.id ?? "", name: registry.name ?? "", subscriptionId, loginServer: registry.loginServer.toLowerCase() });
        }
        return { registries, failures: [] };
      } catch (error) {
        return { registries: [], failures: [{ subscriptionId, message: describeAzureError(error) }] };
      }
    }),
  );
  return { registries: results.flatMap((r) => r.registries), failures: results.flatMap((r) => r.failures) };
}

/** The registry's data-plane endpoint: https://<loginServer> on Azure; the sandbox names its stand-in's. */
export function registryEndpoint(config: AzureConfig, loginServer: string): string {
  return config.azure.registryEndpoints[loginServer] ?? `https://${loginServer}`;
}

/** ACR's error code (`NAME_UNKNOWN`, `UNAUTHORIZED`...), which the client keeps in the error's parsed body. */
export function registryErrorCode(error: unknown): string | undefined {
  const details = (error as { details?: { errors?: { code?: string }[] } } | undefined)?.details;
  return details?.errors?.[0]?.code;
}

/** The digest a tag points at now; throws the client's error (ACR's TAG_UNKNOWN for a tag that is not there). */
export async function tagDigest(config: AzureConfig, loginServer: string, repository: string, tag: string): Promise<string> {
  const tlsOptions = azureTlsOptions(config);
  const client = new ContainerRegistryClient(registryEndpoint(config, loginServer), azureCredential(config), {
    ...(tlsOptions && { tlsOptions }),
    retryOptions: { maxRetries: 1 },
  });
  return (await client.getArtifact(repository, tag).getTagProperties(tag)).digest;
}

/** The repository's tags, newest change first, at most maxTagsListed; `more` when the registry has more. */
export async function listRepositoryTags(config: AzureConfig, loginServer: string, repository: string): Promise<{ tags: RegistryTag[]; more: boolean }> {
  const tlsOptions = azureTlsOptions(config);
  const client = new ContainerRegistryClient(registryEndpoint(config, loginServer), azureCredential(config), {
    ...(tlsOptions && { tlsOptions }),
    // One try per request: the caller shows the failure with a retry rather than holding the form for the SDK's backoff.
    retryOptions: { maxRetries: 1 },
  });
  // listTagProperties lists the repository's tags whatever artifact it is asked on; "latest" is only a handle.
  const tags: RegistryTag[] = [];
  for await (const page of client.getArtifact(repository, "latest").listTagProperties({ order: "LastUpdatedOnDescending" }).byPage({ maxPageSize: 100 })) {
    for (const tag of page) {
      if (tags.length === maxTagsListed) return { tags, more: true };
      tags.push({ name: tag.name, digest: tag.digest, createdOn: tag.createdOn, lastUpdatedOn: tag.lastUpdatedOn });
    }
  }
  return { tags, more: false };
}
