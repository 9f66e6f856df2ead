// Log Analytics workspaces and Application Insights components from Azure
// Resource Manager, reshaped into Wharf's own types at this border, as
// clusters.ts does for AKS. Each subscription and each resource type is asked
// on its own, so one failing listing is reported and the rest still answer.
import { OperationalInsightsManagementClient, type Workspace } from "@azure/arm-operationalinsights";
import { ApplicationInsightsManagementClient, type ApplicationInsightsComponent } from "@azure/arm-appinsights";
import type { WharfConfig } from "@/lib/config";
import { armScope, azureCredential, azureTlsOptions } from "@/lib/azure/credential";
import { describeAzureError } from "@/lib/azure/clusters";

export interface LogAnalyticsWorkspace {
  /** The ARM resource id. */
  id: string;
  name: string;
  /** The workspace id (customerId, a GUID): what the query API addresses. */
  customerId: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  tags: Record<string, string>;
}

export interface AppInsightsComponent {
  id: string;
  name: string;
  appId: string;
  subscriptionId: string;
  resourceGroup: string;
  /** The workspace it writes to (workspace-based component), or null for a classic one. */
  workspaceResourceId: string | null;
  tags: Record<string, string>;
}

export interface MonitorDiscovery {
  workspaces: LogAnalyticsWorkspace[];
  components: AppInsightsComponent[];
  /** Listings that failed, with why. */
  failures: { subscriptionId: string; resource: "workspaces" | "components"; message: string }[];
}

type AzureConfig = Pick<WharfConfig, "identity" | "azure" | "mode">;

function resourceGroupOf(id: string): string {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1] ?? "";
}

export function reshapeWorkspace(subscriptionId: string, workspace: Workspace): LogAnalyticsWorkspace {
  const id = workspace.id ?? "";
  return {
    id,
    name: workspace.name ?? "",
    customerId: workspace.customerId ?? "",
    subscriptionId,
    resourceGroup: resourceGroupOf(id),
    location: workspace.location,
    tags: workspace.tags ?? {},
  };
}

/**
 * @azure/arm-appinsights 5 (on @azure/core-client, like the other ARM clients here; decision 0052) lists components with
 * api-version 2020-02-02, which has workspace-based components' WorkspaceResourceId.
 */
export function reshapeComponent(subscriptionId: string, component: ApplicationInsightsComponent): AppInsightsComponent {
  const id = component.id ?? "";
  return {
    id,
    name: component.name ?? "",
    appId: component.appId ?? "",
    subscriptionId,
    resourceGroup: resourceGroupOf(id),
    workspaceResourceId: component.workspaceResourceId || null,
    tags: component.tags ?? {},
  };
}

async function listWorkspaces(config: AzureConfig, subscriptionId: string): Promise<LogAnalyticsWorkspace[]> {
  const tlsOptions = azureTlsOptions(config);
  const client = new OperationalInsightsManagementClient(azureCredential(config), subscriptionId, {
    endpoint: config.azure.armEndpoint,
    ...(tlsOptions && { tlsOptions }),
  });
  const workspaces: LogAnalyticsWorkspace[] = [];
  for await (const workspace of client.workspaces.list()) workspaces.push(reshapeWorkspace(subscriptionId, workspace));
  return workspaces;
}

async function listComponents(config: AzureConfig, subscriptionId: string): Promise<AppInsightsComponent[]> {
  const tlsOptions = azureTlsOptions(config);
  const client = new ApplicationInsightsManagementClient(azureCredential(config), subscriptionId, {
    endpoint: config.azure.armEndpoint,
    $host: config.azure.armEndpoint,
    // This client would ask for a token for `${endpoint}/.default`; ARM's audience is management.azure.com's, against Azure as
    // against the sandbox's stand-in.
    credentialScopes: [armScope],
    ...(tlsOptions && { tlsOptions }),
  });
  const components: AppInsightsComponent[] = [];
  for await (const component of client.components.list()) components.push(reshapeComponent(subscriptionId, component));
  return components;
}

export async function discoverMonitorResources(config: AzureConfig): Promise<MonitorDiscovery> {
  const result: MonitorDiscovery = { workspaces: [], components: [], failures: [] };
  await Promise.all(
    config.azure.subscriptionIds.flatMap((subscriptionId) => [
      listWorkspaces(config, subscriptionId).then(
        (workspaces) => void result.workspaces.push(...workspaces),
        (error: unknown) => void result.failures.push({ subscriptionId, resource: "workspaces", message: describeAzureError(error) }),
      ),
      listComponents(config, subscriptionId).then(
        (components) => void result.components.push(...components),
        (error: unknown) => void result.failures.push({ subscriptionId, resource: "components", message: describeAzureError(error) }),
      ),
    ]),
  );
  result.workspaces.sort((a, b) => a.name.localeCompare(b.name));
  result.components.sort((a, b) => a.name.localeCompare(b.name));
  return result;
}
