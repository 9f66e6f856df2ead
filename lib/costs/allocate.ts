// A cluster's billed cost split among its namespaces (decision 0023). Pure:
// the bill per day (the managedClusters resource plus the node resource
// group, from Cost Management), the cluster's allocatable capacity and each
// namespace's requested CPU and memory hours per day (Wharf's own samples)
// go in; cents per namespace come out, every day adding up to the bill.
import { splitCents } from "./split-cents";
import { isSystemNamespace as defaultIsSystemNamespace } from "./system-namespaces";

/** How idle capacity, or system namespaces' cost, is shown: shared by requests, shared evenly, or apart. */
export type SharingRule = "proportional" | "even" | "apart";

export interface ResourceHours {
  cpuCoreHours: number;
  memoryGiBHours: number;
}

export interface ClusterDay {
  /** YYYY-MM-DD, UTC, as the bill's UsageDate. */
  day: string;
  billedCents: number;
  /** Allocatable CPU and memory of the cluster's nodes over the day. */
  capacity: ResourceHours;
  /**
   * Whether `capacity` was sampled (true when absent and it is not zero). Without it a day's shares are of the sum of
   * its requests: nothing requested is idle, and the notes say that capacity was not sampled.
   */
  capacitySampled?: boolean;
  /** Requested hours per namespace that day; namespaces without samples are absent. */
  requests: Readonly<Record<string, ResourceHours>>;
}

export interface AllocationRule {
  idle: SharingRule;
  system: SharingRule;
  /** Weight of CPU against memory in a namespace's share, 0..1; 0.5 when absent. */
  cpuWeight?: number;
}

export interface NamespaceCost {
  namespace: string;
  /** kube-system or one of AKS's own; listed only while system cost is kept apart. */
  system: boolean;
  /** For its own requests. */
  requestedCents: number;
  /** Its share of idle capacity, under a sharing rule. */
  idleCents: number;
  /** Its share of system namespaces' cost, under a sharing rule. */
  systemCents: number;
}

export interface ClusterDayAllocation {
  day: string;
  billedCents: number;
  namespaces: NamespaceCost[];
  /** Capacity nobody requested, kept apart (by rule, or because no workload namespace could take it). */
  idleCents: number;
  /** No namespace had a sample that day: the whole bill is idle. */
  unsampled: boolean;
  /** The nodes' capacity was sampled that day, so idle is capacity nobody requested. */
  capacitySampled: boolean;
}

export interface ClusterAllocation {
  cluster: string;
  days: ClusterDayAllocation[];
  /** What a reader of the figures must know, e.g. days without samples. */
  notes: string[];
}

export const namespaceCents = (cost: NamespaceCost) => cost.requestedCents + cost.idleCents + cost.systemCents;

/** Sum of a day's lines; equals `billedCents` for every day allocateCluster returns. */
export const allocatedCents = (day: ClusterDayAllocation) => day.idleCents + day.namespaces.reduce((sum, ns) => sum + namespaceCents(ns), 0);

function shareRecipients(rule: SharingRule, workloads: { index: number; weight: number }[]): number[] {
  // With cpuWeight 1 (or 0) a namespace asking only for memory (or CPU) weighs nothing; share evenly then.
  if (rule === "even" || workloads.every((w) => w.weight === 0)) return workloads.map(() => 1);
  return workloads.map((w) => w.weight);
}

export function allocateClusterDay(
  input: ClusterDay,
  rule: AllocationRule,
  isSystem: (namespace: string) => boolean = defaultIsSystemNamespace,
): ClusterDayAllocation {
  const cpuWeight = rule.cpuWeight ?? 0.5;
  const capacitySampled = input.capacitySampled ?? (input.capacity.cpuCoreHours > 0 || input.capacity.memoryGiBHours > 0);
  const capacity = capacitySampled ? input.capacity : { cpuCoreHours: 0, memoryGiBHours: 0 };
  if (!(cpuWeight >= 0 && cpuWeight <= 1)) throw new RangeError(`cpuWeight must be between 0 and 1, got ${cpuWeight}`);
  const names = Object.keys(input.requests)
    .filter((ns) => input.requests[ns]!.cpuCoreHours > 0 || input.requests[ns]!.memoryGiBHours > 0)
    .sort();
  const cpu = names.map((ns) => input.requests[ns]!.cpuCoreHours);
  const memory = names.map((ns) => input.requests[ns]!.memoryGiBHours);
  // Requests above capacity (samples between a scale-down and the next sample) leave no idle, not negative idle.
  const cpuBase = Math.max(
    capacity.cpuCoreHours,
    cpu.reduce((a, b) => a + b, 0),
  );
  const memoryBase = Math.max(
    capacity.memoryGiBHours,
    memory.reduce((a, b) => a + b, 0),
  );
  // A resource with neither capacity nor requests (no capacity sampled, and every namespace asks only for the other one)
  // has nothing to split: its weight goes to the other resource, rather than to idle nobody can see.
  const cpuShare = cpuBase > 0 ? (memoryBase > 0 ? cpuWeight : 1) : 0;
  // Each resource's fraction first, then its weight: multiplying tiny (subnormal) hours by the weight before dividing
  // keeps only a few bits of them, skewing the shares and leaving as idle a part of the bill that was requested.
  const weights = names.map((_, i) => (cpuBase > 0 ? cpuShare * (cpu[i]! / cpuBase) : 0) + (memoryBase > 0 ? (1 - cpuShare) * (memory[i]! / memoryBase) : 0));
  const idleWeight = Math.max(0, 1 - weights.reduce((a, b) => a + b, 0));
  const unsampled = names.length === 0;

  const parts = unsampled ? [] : splitCents(input.billedCents, [...weights, idleWeight]);
  let idleCents = unsampled ? input.billedCents : parts[names.length]!;
  const costs: NamespaceCost[] = names.map((namespace, i) => ({
    namespace,
    system: isSystem(namespace),
    requestedCents: parts[i]!,
    idleCents: 0,
    systemCents: 0,
  }));
  const workloads = costs.flatMap((cost, index) => (cost.system ? [] : [{ index, weight: weights[index]! }]));

  if (rule.idle !== "apart" && workloads.length > 0 && idleCents !== 0) {
    splitCents(idleCents, shareRecipients(rule.idle, workloads)).forEach((cents, k) => (costs[workloads[k]!.index]!.idleCents += cents));
    idleCents = 0;
  }
  let namespaces = costs;
  if (rule.system !== "apart" && workloads.length > 0) {
    const systemPool = costs.filter((cost) => cost.system).reduce((sum, cost) => sum + namespaceCents(cost), 0);
    if (systemPool !== 0)
      splitCents(systemPool, shareRecipients(rule.system, workloads)).forEach((cents, k) => (costs[workloads[k]!.index]!.systemCents += cents));
    namespaces = costs.filter((cost) => !cost.system);
  }
  return { day: input.day, billedCents: input.billedCents, namespaces, idleCents, unsampled, capacitySampled };
}

export function allocateCluster(
  cluster: string,
  days: readonly ClusterDay[],
  rule: AllocationRule,
  isSystem: (namespace: string) => boolean = defaultIsSystemNamespace,
): ClusterAllocation {
  const allocated = [...days].sort((a, b) => a.day.localeCompare(b.day)).map((day) => allocateClusterDay(day, rule, isSystem));
  return { cluster, days: allocated, notes: allocationNotes(cluster, allocated, rule) };
}

/**
 * What a reader of a cluster's figures must know: days without samples (all idle), days without node capacity (no
 * idle: shares of the requests), days where only system namespaces had requests. From each day's bill, idle and
 * sampled flags alone, so a stored allocation gives the same notes.
 */
export function allocationNotes(
  cluster: string,
  days: readonly (Pick<ClusterDayAllocation, "day" | "billedCents" | "idleCents" | "unsampled"> & { capacitySampled?: boolean })[],
  rule: AllocationRule,
): string[] {
  const allocated = [...days].sort((a, b) => a.day.localeCompare(b.day));
  const billed = allocated.filter((day) => day.billedCents !== 0);
  const notes: string[] = [];
  const unsampled = billed.filter((day) => day.unsampled);
  if (unsampled.length > 0 && unsampled.length === billed.length) {
    notes.push(`${cluster}: no namespace samples for any billed day, so all of its cost is idle.`);
  } else if (unsampled.length > 0) {
    notes.push(`${cluster}: no namespace samples on ${unsampled.map((day) => day.day).join(", ")}; that cost is idle.`);
  }
  const noCapacity = billed.filter((day) => !day.unsampled && day.capacitySampled === false);
  const sampled = billed.filter((day) => !day.unsampled);
  if (noCapacity.length > 0) {
    // Before capacity was first sampled every day lacks it: name a few days, count many.
    const listed =
      noCapacity.length <= 5
        ? noCapacity.map((day) => day.day).join(", ")
        : `${noCapacity.length} days from ${noCapacity[0]!.day} to ${noCapacity.at(-1)!.day}`;
    const when = noCapacity.length === sampled.length ? "for any sampled day" : `on ${listed}`;
    notes.push(`${cluster}: no node capacity sampled ${when}; that cost is shared by requests, and its idle capacity is unknown, not zero.`);
  }
  const lone = allocated.filter((day) => !day.unsampled && day.idleCents !== 0 && rule.idle !== "apart");
  if (lone.length > 0) notes.push(`${cluster}: only system namespaces had requests on ${lone.map((day) => day.day).join(", ")}; idle cost stays apart there.`);
  return notes;
}
