// The vendor shape of a Microsoft.ContainerRegistry/registries resource as ARM
// lists it (api-version 2025-11-01, what @azure/arm-containerregistry 12 asks
// for). Wharf reads `loginServer` to know which image references are on a
// registry it can ask for tags. Fixed dates keep answers stable.
import { registryResourceId, type SandboxRegistry } from "../registries";

const created = "2026-01-05T09:30:00.0000000Z";

export function registryResource(registry: SandboxRegistry): Record<string, unknown> {
  return {
    sku: { name: "Standard", tier: "Standard" },
    type: "Microsoft.ContainerRegistry/registries",
    id: registryResourceId(registry),
    name: registry.name,
    location: registry.location,
    tags: { "cost-center": "platform" },
    systemData: { createdBy: "platform@contoso.com", createdByType: "User", createdAt: created, lastModifiedAt: created },
    properties: {
      loginServer: registry.loginServer,
      creationDate: created,
      provisioningState: "Succeeded",
      adminUserEnabled: false,
      policies: {
        quarantinePolicy: { status: "disabled" },
        trustPolicy: { type: "Notary", status: "disabled" },
        retentionPolicy: { days: 7, lastUpdatedTime: created, status: "disabled" },
        exportPolicy: { status: "enabled" },
      },
      encryption: { status: "disabled" },
      dataEndpointEnabled: false,
      dataEndpointHostNames: [],
      privateEndpointConnections: [],
      publicNetworkAccess: "Enabled",
      networkRuleBypassOptions: "AzureServices",
      zoneRedundancy: "Disabled",
      anonymousPullEnabled: false,
      roleAssignmentMode: "LegacyRegistryPermissions",
    },
  };
}
