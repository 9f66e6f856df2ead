// From namespaces and tagged Azure resources to teams and services. Pure:
// the namespace → team mapping (Wharf's `wharf.io/team` label) and each
// namespace's split among services (by the requests of the services'
// deployments) are inputs. Resources tagged with a team or service go
// straight to it. Nothing is dropped: what no team or service takes is
// counted as such, so each view adds up to the whole bill.
import { namespaceCents, type ClusterAllocation } from "./allocate";
import { splitCents } from "./split-cents";

export interface TaggedCost {
  day: string;
  cents: number;
  /** The resource's `team` tag, if any. */
  team?: string;
  /** The resource's `service` tag, if any. */
  service?: string;
}

export interface ServiceShare {
  /** null: requests of workloads that belong to no catalog service. */
  service: string | null;
  /** Requested resource-hours of the service's deployments in the namespace that day. */
  weight: number;
}

export interface AttributionInput {
  clusters: readonly ClusterAllocation[];
  /** Team of a namespace, kept for namespaces that have since been deleted so their cost stays with the team. */
  namespaceTeam: (cluster: string, namespace: string) => string | undefined;
  /** How a namespace's day splits among services; empty when unknown. */
  serviceShares: (cluster: string, namespace: string, day: string) => readonly ServiceShare[];
  /** The owner team of a service, for resources tagged with a service only. */
  serviceTeam: (service: string) => string | undefined;
  /** Billed resources outside the clusters: tagged ones, and untagged shared ones. */
  resources: readonly TaggedCost[];
}

export interface Attribution {
  totalCents: number;
  byTeam: Record<string, number>;
  byService: Record<string, number>;
  /** Cost no team takes: namespaces without a team, untagged resources. */
  noTeamCents: number;
  /** Cost no service takes: team-only resources, namespaces' requests of no service, namespaces without shares. */
  noServiceCents: number;
  /** Idle and system cost kept apart by the rule: neither a team's nor a service's. */
  idleCents: number;
  systemCents: number;
}

const add = (record: Record<string, number>, key: string, cents: number) => {
  record[key] = (record[key] ?? 0) + cents;
};

export function attributeCosts(input: AttributionInput): Attribution {
  const result: Attribution = { totalCents: 0, byTeam: {}, byService: {}, noTeamCents: 0, noServiceCents: 0, idleCents: 0, systemCents: 0 };
  for (const cluster of input.clusters) {
    for (const day of cluster.days) {
      result.totalCents += day.billedCents;
      result.idleCents += day.idleCents;
      for (const ns of day.namespaces) {
        const cents = namespaceCents(ns);
        if (ns.system) {
          result.systemCents += cents;
          continue;
        }
        const team = input.namespaceTeam(cluster.cluster, ns.namespace);
        if (team === undefined) result.noTeamCents += cents;
        else add(result.byTeam, team, cents);

        const shares = input.serviceShares(cluster.cluster, ns.namespace, day.day).filter((share) => share.weight > 0);
        if (shares.length === 0) {
          result.noServiceCents += cents;
          continue;
        }
        splitCents(
          cents,
          shares.map((share) => share.weight),
        ).forEach((part, i) => {
          const service = shares[i]!.service;
          if (service === null) result.noServiceCents += part;
          else add(result.byService, service, part);
        });
      }
    }
  }
  for (const resource of input.resources) {
    result.totalCents += resource.cents;
    const team = resource.team ?? (resource.service === undefined ? undefined : input.serviceTeam(resource.service));
    if (team === undefined) result.noTeamCents += resource.cents;
    else add(result.byTeam, team, resource.cents);
    if (resource.service === undefined) result.noServiceCents += resource.cents;
    else add(result.byService, resource.service, resource.cents);
  }
  return result;
}

/** Every view of an attribution adds up to the bill; true when it does. */
export function attributionBalances(a: Attribution): { byTeam: boolean; byService: boolean } {
  const sum = (record: Record<string, number>) => Object.values(record).reduce((x, y) => x + y, 0);
  const apart = a.idleCents + a.systemCents;
  return {
    byTeam: sum(a.byTeam) + a.noTeamCents + apart === a.totalCents,
    byService: sum(a.byService) + a.noServiceCents + apart === a.totalCents,
  };
}
