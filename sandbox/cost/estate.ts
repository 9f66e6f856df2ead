// What the sandbox subscription is billed for: each sandbox cluster's
// managedClusters resource and its node resource group (one scale set per node
// pool, disks, load balancer, public IPs), read from the same cluster shape ARM
// serves so the bill and the clusters agree; and the per-service Azure
// resources of the reference architecture in team resource groups, tagged
// `team` and `service`. The teams and services are the demo seed's slugs, kept
// here because the sandbox must not import Wharf's product code.
import { createHash } from "node:crypto";
import { managedClusterId, managedClusterResource } from "../arm/managed-cluster";
import { sandboxClusters, sandboxResourceGroup, sandboxSubscriptionId } from "../clusters";
import { nodeCount, scaleSetName } from "../node-pools";

export interface BilledResource {
  /** Lowercase, as Cost Management returns ResourceId. */
  resourceId: string;
  /** Lowercase, as Cost Management returns ResourceGroupName. */
  resourceGroup: string;
  resourceType: string;
  location: string;
  serviceName: string;
  meterCategory: string;
  meterSubCategory: string;
  tags: Readonly<Record<string, string>>;
  /** EUR per day at full use, before the day's variation. */
  dailyEur: (day: Date) => number;
}

/** 0..1, the same for the same inputs on every run. */
export function unitHash(...parts: string[]): number {
  return createHash("sha256").update(parts.join("|")).digest().readUInt32BE(0) / 0x1_0000_0000;
}

const weekend = (day: Date) => day.getUTCDay() === 0 || day.getUTCDay() === 6;

// Pay-as-you-go list prices in EUR per hour, West and North Europe, late 2026.
const vmEurPerHour: Record<string, Record<string, number>> = {
  Standard_D4ds_v5: { westeurope: 0.228, northeurope: 0.21 },
};
const standardTierEurPerHour = 0.09;

function subscriptionPath(resourceGroup: string, provider: string): string {
  return `/subscriptions/${sandboxSubscriptionId}/resourcegroups/${resourceGroup}/providers/${provider}`.toLowerCase();
}

function clusterResources(): BilledResource[] {
  return sandboxClusters.flatMap((cluster) => {
    const arm = managedClusterResource(cluster) as {
      sku: { tier: string };
      properties: { nodeResourceGroup: string; agentPoolProfiles: { name: string; count: number; minCount?: number; maxCount?: number; vmSize: string }[] };
    };
    const nodeGroup = arm.properties.nodeResourceGroup.toLowerCase();
    const clusterTags = { "wharf.io/environment": cluster.environment, "cost-center": "platform" };
    // AKS puts these on the node resource group's resources (seen in real deployments).
    const nodeTags = { ...clusterTags, "aks-managed-cluster-name": cluster.name, "aks-managed-cluster-rg": sandboxResourceGroup };
    const seed = unitHash(cluster.name, "id").toString(16).slice(2, 10);
    const out: BilledResource[] = [];
    if (arm.sku.tier !== "Free") {
      out.push({
        resourceId: managedClusterId(cluster).toLowerCase(),
        resourceGroup: sandboxResourceGroup.toLowerCase(),
        resourceType: "microsoft.containerservice/managedclusters",
        location: cluster.location,
        serviceName: "Azure Kubernetes Service",
        meterCategory: "Azure Kubernetes Service",
        meterSubCategory: `${arm.sku.tier} Tier`,
        tags: clusterTags,
        dailyEur: () => standardTierEurPerHour * 24,
      });
    }
    for (const pool of arm.properties.agentPoolProfiles) {
      const perHour = vmEurPerHour[pool.vmSize]?.[cluster.location];
      if (perHour === undefined) throw new Error(`sandbox/cost/estate.ts has no price for ${pool.vmSize} in ${cluster.location}`);
      out.push({
        resourceId: subscriptionPath(nodeGroup, `Microsoft.Compute/virtualMachineScaleSets/${scaleSetName(cluster, pool)}`),
        resourceGroup: nodeGroup,
        resourceType: "microsoft.compute/virtualmachinescalesets",
        location: cluster.location,
        serviceName: "Virtual Machines",
        meterCategory: "Virtual Machines",
        meterSubCategory: `${pool.vmSize.replace("Standard_", "")} Series`,
        tags: { ...nodeTags, "aks-managed-poolName": pool.name },
        dailyEur: (day) => perHour * 24 * nodeCount(cluster.name, pool, day, cluster.environment),
      });
    }
    const disks = cluster.environment === "prod" ? 4 : 2;
    for (let i = 0; i < disks; i += 1) {
      out.push({
        resourceId: subscriptionPath(nodeGroup, `Microsoft.Compute/disks/pvc-${seed}-${i}`),
        resourceGroup: nodeGroup,
        resourceType: "microsoft.compute/disks",
        location: cluster.location,
        serviceName: "Storage",
        meterCategory: "Storage",
        meterSubCategory: "Premium SSD Managed Disks",
        tags: { ...nodeTags, "kubernetes.io-created-for-pvc-name": `data-${i}` },
        // A P10 (128 GiB) disk: a flat monthly price, billed by the day.
        dailyEur: () => 19.71 / 30,
      });
    }
    out.push({
      resourceId: subscriptionPath(nodeGroup, "Microsoft.Network/loadBalancers/kubernetes"),
      resourceGroup: nodeGroup,
      resourceType: "microsoft.network/loadbalancers",
      location: cluster.location,
      serviceName: "Load Balancer",
      meterCategory: "Load Balancer",
      meterSubCategory: "Standard",
      tags: nodeTags,
      // Rules by the hour plus data processed, which follows weekday traffic.
      dailyEur: (day) => 0.0233 * 24 + (cluster.environment === "prod" ? (weekend(day) ? 0.4 : 1.1) : 0.08),
    });
    for (const ip of ["kubernetes-outbound", "kubernetes-ingress"]) {
      out.push({
        resourceId: subscriptionPath(nodeGroup, `Microsoft.Network/publicIPAddresses/${ip}-${seed}`),
        resourceGroup: nodeGroup,
        resourceType: "microsoft.network/publicipaddresses",
        location: cluster.location,
        serviceName: "Virtual Network",
        meterCategory: "Virtual Network",
        meterSubCategory: "IP Addresses",
        tags: nodeTags,
        dailyEur: () => 0.0046 * 24,
      });
    }
    return out;
  });
}

type Kind = "cosmos" | "redis" | "servicebus" | "keyvault" | "loganalytics" | "acr";

const kinds: Record<Kind, { provider: string; serviceName: string; meterCategory: string; meterSubCategory: string; weekdayLift: number }> = {
  cosmos: {
    provider: "Microsoft.DocumentDB/databaseAccounts",
    serviceName: "Azure Cosmos DB",
    meterCategory: "Azure Cosmos DB",
    meterSubCategory: "Autoscale - Zone Redundancy",
    weekdayLift: 0.35,
  },
  redis: { provider: "Microsoft.Cache/Redis", serviceName: "Redis Cache", meterCategory: "Redis Cache", meterSubCategory: "Standard", weekdayLift: 0 },
  servicebus: {
    provider: "Microsoft.ServiceBus/namespaces",
    serviceName: "Service Bus",
    meterCategory: "Service Bus",
    meterSubCategory: "Standard",
    weekdayLift: 0.25,
  },
  keyvault: { provider: "Microsoft.KeyVault/vaults", serviceName: "Key Vault", meterCategory: "Key Vault", meterSubCategory: "Standard", weekdayLift: 0.5 },
  loganalytics: {
    provider: "Microsoft.OperationalInsights/workspaces",
    serviceName: "Log Analytics",
    meterCategory: "Log Analytics",
    meterSubCategory: "Analytics Logs Data Ingestion",
    weekdayLift: 0.45,
  },
  acr: {
    provider: "Microsoft.ContainerRegistry/registries",
    serviceName: "Container Registry",
    meterCategory: "Container Registry",
    meterSubCategory: "Premium",
    weekdayLift: 0.1,
  },
};

interface ServiceResource {
  kind: Kind;
  name: string;
  team?: string;
  /** Absent for resources a team's services share. */
  service?: string;
  /** EUR per day on a weekday. */
  eur: number;
}

// Targets of the demo catalog's declared dependencies (prisma/seed-catalog.ts).
export const serviceResources: readonly ServiceResource[] = [
  { kind: "redis", name: "redis-payments-idempotency", team: "payments", service: "payment-gateway", eur: 3.36 },
  { kind: "redis", name: "redis-fraud-velocity", team: "payments", service: "fraud-scoring", eur: 6.72 },
  { kind: "cosmos", name: "cosmos-fraud-features", team: "payments", service: "fraud-scoring", eur: 14.2 },
  { kind: "servicebus", name: "sb-payments", team: "payments", eur: 0.9 },
  { kind: "keyvault", name: "kv-payments", team: "payments", eur: 0.21 },
  { kind: "loganalytics", name: "log-payments", team: "payments", eur: 11.5 },
  { kind: "redis", name: "redis-cart", team: "orders", service: "cart", eur: 6.72 },
  { kind: "redis", name: "redis-promotions", team: "orders", service: "promotions", eur: 1.4 },
  { kind: "servicebus", name: "sb-orders", team: "orders", eur: 1.1 },
  { kind: "keyvault", name: "kv-orders", team: "orders", eur: 0.12 },
  { kind: "loganalytics", name: "log-orders", team: "orders", eur: 8.3 },
  { kind: "cosmos", name: "cosmos-drone-scheduler", team: "drone-delivery", service: "drone-scheduler", eur: 9.8 },
  { kind: "cosmos", name: "cosmos-drone-delivery", team: "drone-delivery", service: "delivery", eur: 12.4 },
  { kind: "redis", name: "redis-delivery-cache", team: "drone-delivery", service: "delivery", eur: 1.4 },
  { kind: "cosmos", name: "cosmos-drone-status", team: "drone-delivery", service: "drone-status", eur: 2.6 },
  { kind: "servicebus", name: "sb-drone-ingestion", team: "drone-delivery", service: "ingestion", eur: 2.2 },
  { kind: "keyvault", name: "kv-drone-delivery", team: "drone-delivery", eur: 0.08 },
  { kind: "loganalytics", name: "log-drone-delivery", team: "drone-delivery", eur: 6.9 },
  { kind: "cosmos", name: "cosmos-pricing", team: "inventory", service: "price-feed", eur: 7.5 },
  { kind: "cosmos", name: "cosmos-forecasts", team: "inventory", service: "demand-forecast", eur: 3.1 },
  { kind: "redis", name: "redis-stock-cache", team: "inventory", service: "stock-api", eur: 3.36 },
  { kind: "servicebus", name: "sb-inventory", team: "inventory", eur: 0.85 },
  { kind: "keyvault", name: "kv-inventory", team: "inventory", eur: 0.06 },
  { kind: "cosmos", name: "cosmos-flight-telemetry", team: "fleet-ops", service: "flight-telemetry-ingest", eur: 21.3 },
  { kind: "redis", name: "redis-fleet-cache", team: "fleet-ops", service: "fleet-registry", eur: 1.4 },
  { kind: "redis", name: "redis-geofences", team: "fleet-ops", service: "geofence-service", eur: 1.4 },
  { kind: "redis", name: "redis-dock-state", team: "fleet-ops", service: "charging-dock-manager", eur: 0.55 },
  { kind: "servicebus", name: "sb-fleet", team: "fleet-ops", eur: 0.7 },
  { kind: "keyvault", name: "kv-fleet-ops", team: "fleet-ops", eur: 0.07 },
  // Shared platform resources carry no team: nothing routes them to one.
  { kind: "acr", name: "acrwharfsandbox", eur: 1.67 },
  { kind: "loganalytics", name: "log-wharf-platform", eur: 4.2 },
];

export const teamResourceGroup = (team: string | undefined) => (team ? `rg-${team}` : "rg-platform-shared");

function teamResources(): BilledResource[] {
  return serviceResources.map((r) => {
    const kind = kinds[r.kind];
    const resourceGroup = teamResourceGroup(r.team);
    const tags: Record<string, string> = { environment: "prod" };
    if (r.team) tags.team = r.team;
    if (r.service) tags.service = r.service;
    if (!r.team) tags["cost-center"] = "platform";
    return {
      resourceId: subscriptionPath(resourceGroup, `${kind.provider}/${r.name}`),
      resourceGroup,
      resourceType: kind.provider.toLowerCase(),
      location: "westeurope",
      serviceName: kind.serviceName,
      meterCategory: kind.meterCategory,
      meterSubCategory: kind.meterSubCategory,
      tags,
      dailyEur: (day) => (weekend(day) ? r.eur / (1 + kind.weekdayLift) : r.eur),
    };
  });
}

export const billedResources: readonly BilledResource[] = [...clusterResources(), ...teamResources()];

/** Resource groups that exist in the sandbox subscription, lowercase. */
export const resourceGroups: ReadonlySet<string> = new Set(billedResources.map((r) => r.resourceGroup));
