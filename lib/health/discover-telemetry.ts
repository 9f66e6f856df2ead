// Log Analytics workspaces and App Insights components, discovered through
// ARM and stored (TelemetryWorkspace, TelemetryComponent), as clusters are.
// A component's `wharf.io/environment` tag says which environment its
// telemetry belongs to. Only subscriptions that answered can say a resource
// is gone; a failing listing keeps what was known.
import { getPrisma } from "@/lib/db/client";
import type { WharfConfig } from "@/lib/config";
import { discoverMonitorResources, type MonitorDiscovery } from "@/lib/azure/monitor-resources";
import { environments } from "@/lib/clusters/cluster-view";

export const environmentTag = "wharf.io/environment";

export interface TelemetryDiscoveryResult {
  workspaces: number;
  components: number;
  failures: MonitorDiscovery["failures"];
}

function environmentOf(tags: Record<string, string>): string | null {
  const tagged = Object.entries(tags).find(([key]) => key.toLowerCase() === environmentTag)?.[1];
  return tagged && (environments as readonly string[]).includes(tagged) ? tagged : null;
}

export async function discoverTelemetry(config: Pick<WharfConfig, "identity" | "azure" | "mode">, now = new Date()): Promise<TelemetryDiscoveryResult> {
  const discovery = await discoverMonitorResources(config);
  const prisma = getPrisma();
  const answered = (resource: "workspaces" | "components") =>
    config.azure.subscriptionIds.filter((id) => !discovery.failures.some((failure) => failure.subscriptionId === id && failure.resource === resource));
  await prisma.$transaction(async (tx) => {
    const workspaceIds = new Map<string, string>();
    for (const workspace of discovery.workspaces) {
      const state = {
        name: workspace.name,
        customerId: workspace.customerId,
        subscriptionId: workspace.subscriptionId,
        resourceGroup: workspace.resourceGroup,
        location: workspace.location,
        missingSince: null,
      };
      const row = await tx.telemetryWorkspace.upsert({
        where: { armId: workspace.id },
        create: { armId: workspace.id, ...state },
        update: state,
        select: { id: true },
      });
      workspaceIds.set(workspace.id.toLowerCase(), row.id);
    }
    // Workspaces from an earlier discovery still count when their subscription failed to list this time.
    for (const row of await tx.telemetryWorkspace.findMany({ select: { id: true, armId: true } })) {
      if (!workspaceIds.has(row.armId.toLowerCase())) workspaceIds.set(row.armId.toLowerCase(), row.id);
    }
    const seenComponents: string[] = [];
    for (const component of discovery.components) {
      const workspaceId = component.workspaceResourceId ? workspaceIds.get(component.workspaceResourceId.toLowerCase()) : undefined;
      // A classic component (no workspace), or one writing to a workspace Wharf cannot list: nothing to query.
      if (!workspaceId) continue;
      const state = { name: component.name, appId: component.appId, workspaceId, environment: environmentOf(component.tags), missingSince: null };
      await tx.telemetryComponent.upsert({ where: { armId: component.id }, create: { armId: component.id, ...state }, update: state });
      seenComponents.push(component.id);
    }
    await tx.telemetryWorkspace.updateMany({
      where: { armId: { notIn: discovery.workspaces.map((workspace) => workspace.id) }, subscriptionId: { in: answered("workspaces") }, missingSince: null },
      data: { missingSince: now },
    });
    const componentSubscriptions = answered("components").map((id) => `/subscriptions/${id}/`);
    const stale = await tx.telemetryComponent.findMany({ where: { armId: { notIn: seenComponents }, missingSince: null }, select: { id: true, armId: true } });
    const gone = stale.filter((row) => componentSubscriptions.some((prefix) => row.armId.toLowerCase().startsWith(prefix.toLowerCase())));
    if (gone.length) await tx.telemetryComponent.updateMany({ where: { id: { in: gone.map((row) => row.id) } }, data: { missingSince: now } });
  });
  return { workspaces: discovery.workspaces.length, components: discovery.components.length, failures: discovery.failures };
}
