// Billed cost per day and per group (team, namespace, cluster or service).
// Pure: each cluster's bill per day and its namespaces' requested hours go
// through `allocateCluster` (decision 0023); namespaces' cents go to teams and
// services the way `attribute.ts` sends them (a namespace's team, its services
// by their deployments' requests); tagged resources outside the clusters go
// straight to their team and service. Every cell carries the team it belongs
// to, so a member's view keeps only their teams' cells; an admin's view of any
// grouping adds up to the bill to the cent, idle, system and what no group
// takes shown as lines of their own.
import { allocateCluster, namespaceCents, type AllocationRule, type ClusterDay } from "./allocate";
import type { ServiceShare, TaggedCost } from "./attribute";
import { splitCents } from "./split-cents";

export const costGroupings = ["team", "namespace", "cluster", "service"] as const;
export type CostGrouping = (typeof costGroupings)[number];

/** A line that is not a group: idle capacity, system namespaces, cost no group of this grouping takes. */
export type ApartLine = "idle" | "system" | "unassigned";
export const apartKeys: readonly ApartLine[] = ["idle", "system", "unassigned"];

export interface ReportCluster {
  /** Wharf's cluster id, the key of its namespaces' team and service shares. */
  id: string;
  name: string;
  days: readonly ClusterDay[];
}

export interface CostReportInput {
  groupBy: CostGrouping;
  clusters: readonly ReportCluster[];
  /** Billed resources outside every cluster, with their tags. */
  resources: readonly TaggedCost[];
  /** A namespace's team slug on a day, as that day's samples carry it (kept for namespaces deleted since). */
  namespaceTeam: (clusterId: string, namespace: string, day: string) => string | undefined;
  serviceShares: (clusterId: string, namespace: string, day: string) => readonly ServiceShare[];
  /** A service's owner team slug. */
  serviceTeam: (service: string) => string | undefined;
  rule: AllocationRule;
}

export interface CostCell {
  day: string;
  /** The group (a team or service slug, cluster/namespace, a cluster name) or an apart line. */
  key: string;
  apart: ApartLine | null;
  /** The team whose figure this is; null for idle, system and cost no team takes. */
  team: string | null;
  cents: number;
}

/** One cluster's day as allocated: what its notes are made of (a stored allocation keeps these). */
export interface ReportClusterDay {
  clusterId: string;
  cluster: string;
  day: string;
  billedCents: number;
  idleCents: number;
  unsampled: boolean;
  capacitySampled: boolean;
}

export interface CostReport {
  cells: CostCell[];
  totalCents: number;
  notes: string[];
  clusterDays: ReportClusterDay[];
}

function groupKey(groupBy: CostGrouping, cluster: string, namespace: string, team: string | undefined, service: string | null): string | null {
  switch (groupBy) {
    case "team":
      return team ?? null;
    case "namespace":
      return `${cluster}/${namespace}`;
    case "cluster":
      return cluster;
    case "service":
      return service;
  }
}

export function buildCostReport(input: CostReportInput): CostReport {
  const cells = new Map<string, CostCell>();
  const add = (day: string, key: string | null, team: string | null, cents: number, apart: ApartLine | null = null) => {
    if (cents === 0) return;
    const line = apart ?? (key === null ? "unassigned" : null);
    const cellKey = line ?? key!;
    const id = `${day}\u0000${cellKey}\u0000${team ?? ""}`;
    const cell = cells.get(id);
    if (cell) cell.cents += cents;
    else cells.set(id, { day, key: cellKey, apart: line, team, cents });
  };
  let totalCents = 0;
  const notes: string[] = [];
  const clusterDays: ReportClusterDay[] = [];

  for (const cluster of input.clusters) {
    const allocation = allocateCluster(cluster.name, cluster.days, input.rule);
    notes.push(...allocation.notes);
    for (const day of allocation.days) {
      totalCents += day.billedCents;
      clusterDays.push({
        clusterId: cluster.id,
        cluster: cluster.name,
        day: day.day,
        billedCents: day.billedCents,
        idleCents: day.idleCents,
        unsampled: day.unsampled,
        capacitySampled: day.capacitySampled,
      });
      add(day.day, null, null, day.idleCents, "idle");
      for (const ns of day.namespaces) {
        const cents = namespaceCents(ns);
        if (ns.system) {
          add(day.day, null, null, cents, "system");
          continue;
        }
        const team = input.namespaceTeam(cluster.id, ns.namespace, day.day);
        if (input.groupBy !== "service") {
          add(day.day, groupKey(input.groupBy, cluster.name, ns.namespace, team, null), team ?? null, cents);
          continue;
        }
        const shares = input.serviceShares(cluster.id, ns.namespace, day.day).filter((share) => share.weight > 0);
        if (shares.length === 0) {
          add(day.day, null, team ?? null, cents);
          continue;
        }
        splitCents(
          cents,
          shares.map((share) => share.weight),
        ).forEach((part, i) => add(day.day, shares[i]!.service, team ?? null, part));
      }
    }
  }
  for (const resource of input.resources) {
    totalCents += resource.cents;
    const team = resource.team ?? (resource.service === undefined ? undefined : input.serviceTeam(resource.service));
    const key = input.groupBy === "team" ? (team ?? null) : input.groupBy === "service" ? (resource.service ?? null) : null;
    add(resource.day, key, team ?? null, resource.cents);
  }
  return { cells: [...cells.values()], totalCents, notes, clusterDays };
}

export interface CostLine {
  key: string;
  apart: ApartLine | null;
  totalCents: number;
  /** Cents per day of the range, in the range's order (zeros included). */
  dailyCents: number[];
}

export interface CostSummary {
  days: string[];
  lines: CostLine[];
  /** Per day, the sum of the lines. */
  dailyCents: number[];
  totalCents: number;
}

/**
 * The lines a viewer sees: every cell for "all" (an admin), else only the cells of the viewer's teams (so idle,
 * system and cost no team takes are an admin's). Groups by their total, largest first; apart lines last.
 */
export function summarizeCells(cells: readonly CostCell[], days: readonly string[], visibleTeams: "all" | ReadonlySet<string>): CostSummary {
  const index = new Map(days.map((day, i) => [day, i]));
  const lines = new Map<string, CostLine>();
  for (const cell of cells) {
    const i = index.get(cell.day);
    if (i === undefined) continue;
    if (visibleTeams !== "all" && (cell.team === null || !visibleTeams.has(cell.team))) continue;
    let line = lines.get(cell.key);
    if (!line) lines.set(cell.key, (line = { key: cell.key, apart: cell.apart, totalCents: 0, dailyCents: days.map(() => 0) }));
    line.totalCents += cell.cents;
    line.dailyCents[i]! += cell.cents;
  }
  const ordered = [...lines.values()].sort((a, b) => {
    if ((a.apart === null) !== (b.apart === null)) return a.apart === null ? -1 : 1;
    if (a.apart !== null && b.apart !== null) return apartKeys.indexOf(a.apart) - apartKeys.indexOf(b.apart);
    return b.totalCents - a.totalCents || a.key.localeCompare(b.key);
  });
  const dailyCents = days.map((_, i) => ordered.reduce((sum, line) => sum + line.dailyCents[i]!, 0));
  return { days: [...days], lines: ordered, dailyCents, totalCents: dailyCents.reduce((a, b) => a + b, 0) };
}

export interface Mover {
  key: string;
  /** The last 7 days of the range and the 7 before. */
  lastWeekCents: number;
  previousWeekCents: number;
  changeCents: number;
}

/** Groups whose last 7 days differ most from the 7 before, largest change first. Apart lines are not movers. */
export function topMovers(summary: CostSummary, count = 5): Mover[] {
  const n = summary.days.length;
  if (n < 14) return [];
  return summary.lines
    .filter((line) => line.apart === null)
    .map((line) => {
      const lastWeekCents = line.dailyCents.slice(n - 7).reduce((a, b) => a + b, 0);
      const previousWeekCents = line.dailyCents.slice(n - 14, n - 7).reduce((a, b) => a + b, 0);
      return { key: line.key, lastWeekCents, previousWeekCents, changeCents: lastWeekCents - previousWeekCents };
    })
    .filter((mover) => mover.changeCents !== 0)
    .sort((a, b) => Math.abs(b.changeCents) - Math.abs(a.changeCents) || a.key.localeCompare(b.key))
    .slice(0, count);
}

/** Every day from `from` to `to` inclusive, YYYY-MM-DD (UTC). */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
