// Log Analytics workspaces and Application Insights components from Azure
// Resource Manager, reshaped into Wharf's own types at this border, as
// clusters.ts does for AKS. Each subscription and each resource type is asked
// on its own, so one failing listing is reported and the rest still answer.
import https from "node:https";
import { OperationalInsightsManagementClient, type Workspace } from "@azure/arm-operationalinsights";
import { ApplicationInsightsManagementClient } from "@azure/arm-appinsights";
import type { RequestPolicyFactory, WebResourceLike } from "@azure/ms-rest-js";
import type { WharfConfig } from "@/lib/config";
import { azureCredential, azureTlsOptions } from "@/lib/azure/credential";
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

interface RawComponent {
  id?: string;
  name?: string;
  tags?: Record<string, string>;
  properties?: { AppId?: string; WorkspaceResourceId?: string | null };
}

/**
 * From the wire JSON: @azure/arm-appinsights 4 models api-version 2015-05-01,
 * whose mapper has no WorkspaceResourceId, so the deserialised object drops
 * it; the raw body keeps it.
 */
export function reshapeComponent(subscriptionId: string, raw: RawComponent): AppInsightsComponent {
  const id = raw.id ?? "";
  return {
    id,
    name: raw.name ?? "",
    appId: raw.properties?.AppId ?? "",
    subscriptionId,
    resourceGroup: resourceGroupOf(id),
    workspaceResourceId: raw.properties?.WorkspaceResourceId || null,
    tags: raw.tags ?? {},
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

/**
 * The SDK lists components with api-version 2018-05-01-preview, older than
 * workspace-based components (2020-02-02), so ARM would leave
 * WorkspaceResourceId out; Wharf reads the raw body, so it asks for 2020-02-02.
 */
export const componentsApiVersion: RequestPolicyFactory = {
  create: (nextPolicy) => ({
    sendRequest: (request: WebResourceLike) => {
      request.url = request.url.replace(/([?&]api-version=)[^&]*/i, "$12020-02-02");
      return nextPolicy.sendRequest(request);
    },
  }),
};

async function listComponents(config: AzureConfig, subscriptionId: string): Promise<AppInsightsComponent[]> {
  const tlsOptions = azureTlsOptions(config);
  // ms-rest-js has no tlsOptions; the sandbox's CA goes in through the agent it sends with.
  const agentSettings = tlsOptions ? { https: new https.Agent({ ca: tlsOptions.ca, keepAlive: true }), http: undefined as never } : undefined;
  const client = new ApplicationInsightsManagementClient(azureCredential(config), subscriptionId, {
    // Tokens are asked for ARM's scope (https://management.azure.com/.default) whatever the base URI.
    baseUri: config.azure.armEndpoint,
    ...(agentSettings && { agentSettings }),
    requestPolicyFactories: (defaults: RequestPolicyFactory[]) => [componentsApiVersion, ...defaults],
  });
  const components: AppInsightsComponent[] = [];
  const take = (page: { _response: { bodyAsText?: string | null } }) => {
    const body = JSON.parse(page._response.bodyAsText || "{}") as { value?: RawComponent[] };
    for (const raw of body.value ?? []) components.push(reshapeComponent(subscriptionId, raw));
  };
  let page = await client.components.list();
  take(page);
  while (page.nextLink) {
    page = await client.components.listNext(page.nextLink);
    take(page);
  }
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
