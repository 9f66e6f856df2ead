import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateCluster, allocateClusterDay, allocatedCents, namespaceCents, type AllocationRule, type ClusterDay, type SharingRule } from "./allocate";
import { attributeCosts, attributionBalances, type ServiceShare } from "./attribute";
import { clusterBillByDay, toMinorUnits } from "./cluster-bill";

// 100 core-hours and 400 GiB-hours of capacity; payments asks 40 and 100
// (share 0.5*0.4 + 0.5*0.25 = 0.325), orders 10 and 100 (0.175), kube-system
// 10 and 40 (0.1): 0.4 is idle.
const worked: ClusterDay = {
  day: "2026-03-02",
  billedCents: 10_000,
  capacity: { cpuCoreHours: 100, memoryGiBHours: 400 },
  requests: {
    payments: { cpuCoreHours: 40, memoryGiBHours: 100 },
    orders: { cpuCoreHours: 10, memoryGiBHours: 100 },
    "kube-system": { cpuCoreHours: 10, memoryGiBHours: 40 },
  },
};

const lines = (day: ReturnType<typeof allocateClusterDay>) =>
  Object.fromEntries([...day.namespaces.map((ns) => [ns.namespace, [ns.requestedCents, ns.idleCents, ns.systemCents]]), ["(idle)", day.idleCents]]);

describe("allocateClusterDay, worked examples", () => {
  it("keeps idle and system apart", () => {
    expect(lines(allocateClusterDay(worked, { idle: "apart", system: "apart" }))).toEqual({
      payments: [3250, 0, 0],
      orders: [1750, 0, 0],
      "kube-system": [1000, 0, 0],
      "(idle)": 4000,
    });
  });

  it("shares idle by requests and keeps system apart", () => {
    expect(lines(allocateClusterDay(worked, { idle: "proportional", system: "apart" }))).toEqual({
      payments: [3250, 2600, 0],
      orders: [1750, 1400, 0],
      "kube-system": [1000, 0, 0],
      "(idle)": 0,
    });
  });

  it("shares idle and system evenly among workload namespaces", () => {
    expect(lines(allocateClusterDay(worked, { idle: "even", system: "even" }))).toEqual({
      payments: [3250, 2000, 500],
      orders: [1750, 2000, 500],
      "(idle)": 0,
    });
  });

  it("shares both by requests: each namespace pays its share of what was requested", () => {
    const day = allocateClusterDay(worked, { idle: "proportional", system: "proportional" });
    expect(lines(day)).toEqual({ payments: [3250, 2600, 650], orders: [1750, 1400, 350], "(idle)": 0 });
    expect(allocatedCents(day)).toBe(10_000);
  });

  it("weighs CPU against memory as told", () => {
    const cpuOnly = allocateClusterDay(worked, { idle: "apart", system: "apart", cpuWeight: 1 });
    expect(lines(cpuOnly)).toMatchObject({ payments: [4000, 0, 0], orders: [1000, 0, 0], "(idle)": 4000 });
  });

  it("shows no idle, and says so, for a day whose node capacity was not sampled", () => {
    const day = allocateClusterDay({ ...worked, capacitySampled: false }, { idle: "apart", system: "apart" });
    // Shares of the requests (60 core-hours, 240 GiB-hours): payments 0.5·40/60 + 0.5·100/240 = 0.5417, orders 0.2917, kube-system 0.1667 (ties of remainders to the earlier name).
    expect(lines(day)).toEqual({ payments: [5416, 0, 0], orders: [2917, 0, 0], "kube-system": [1667, 0, 0], "(idle)": 0 });
    expect(day.capacitySampled).toBe(false);
    const month = allocateCluster(
      "aks-dev-weu",
      [
        { ...worked, capacitySampled: false },
        { ...worked, day: "2026-03-03" },
      ],
      { idle: "apart", system: "apart" },
    );
    expect(month.notes).toEqual([
      "aks-dev-weu: no node capacity sampled on 2026-03-02; that cost is shared by requests, and its idle capacity is unknown, not zero.",
    ]);
  });

  it("with no capacity sampled and only memory asked for, splits the whole day by memory: no idle from the CPU half", () => {
    const day = allocateClusterDay(
      {
        day: "2026-03-02",
        billedCents: 107,
        capacity: { cpuCoreHours: 0, memoryGiBHours: 0 },
        requests: { payments: { cpuCoreHours: 0, memoryGiBHours: 30 }, orders: { cpuCoreHours: 0, memoryGiBHours: 10 } },
      },
      { idle: "apart", system: "apart", cpuWeight: 0.5 },
    );
    expect(lines(day)).toEqual({ payments: [80, 0, 0], orders: [27, 0, 0], "(idle)": 0 });
  });

  it("leaves no idle, not negative idle, when requests exceed capacity", () => {
    const over = allocateClusterDay({ ...worked, capacity: { cpuCoreHours: 30, memoryGiBHours: 120 } }, { idle: "apart", system: "apart" });
    expect(over.idleCents).toBe(0);
    expect(allocatedCents(over)).toBe(10_000);
  });
  it("splits requests of a few subnormal hours by their ratios, like any others (weights applied after the fractions)", () => {
    // Number.MIN_VALUE is the smallest double: 1 and 2 of them are exact. Orders asks 2/3 of CPU and 1/3 of memory, so
    // with CPU weighing 0.25 its share is 0.25 * 2/3 + 0.75 * 1/3 = 5/12 of the bill; nothing is idle (no capacity).
    const tiny = (units: number) => units * Number.MIN_VALUE;
    const day = allocateClusterDay(
      {
        day: "2026-03-02",
        billedCents: 12_000,
        capacity: { cpuCoreHours: 0, memoryGiBHours: 0 },
        requests: { payments: { cpuCoreHours: tiny(1), memoryGiBHours: tiny(2) }, orders: { cpuCoreHours: tiny(2), memoryGiBHours: tiny(1) } },
      },
      { idle: "apart", system: "apart", cpuWeight: 0.25 },
    );
    expect(lines(day)).toEqual({ orders: [5000, 0, 0], payments: [7000, 0, 0], "(idle)": 0 });
  });
});

describe("allocateCluster over a month", () => {
  const march = (requests: (day: number) => ClusterDay["requests"]): ClusterDay[] =>
    Array.from({ length: 31 }, (_, i) => ({
      day: `2026-03-${String(i + 1).padStart(2, "0")}`,
      billedCents: 4_321 + i * 17,
      capacity: { cpuCoreHours: 96, memoryGiBHours: 384 },
      requests: requests(i + 1),
    }));

  it("calls a month without samples all idle, and says so", () => {
    const result = allocateCluster(
      "aks-lab-neu",
      march(() => ({})),
      { idle: "proportional", system: "proportional" },
    );
    expect(result.days.every((day) => day.unsampled && day.idleCents === day.billedCents && day.namespaces.length === 0)).toBe(true);
    expect(result.notes).toEqual(["aks-lab-neu: no namespace samples for any billed day, so all of its cost is idle."]);
  });

  it("names the days without samples when only some are missing", () => {
    const result = allocateCluster(
      "aks-dev-weu",
      march((d): ClusterDay["requests"] => (d === 7 ? {} : { payments: { cpuCoreHours: 8, memoryGiBHours: 16 } })),
      { idle: "apart", system: "apart" },
    );
    expect(result.notes).toEqual(["aks-dev-weu: no namespace samples on 2026-03-07; that cost is idle."]);
  });

  it("keeps a namespace's earlier days when it vanished mid-month, with its team", () => {
    // orders-legacy was deleted on March 11: no samples after the 10th.
    const days = march((d) => ({
      ...(d <= 10 ? { "orders-legacy": { cpuCoreHours: 24, memoryGiBHours: 48 } } : {}),
      payments: { cpuCoreHours: 24, memoryGiBHours: 96 },
      "kube-system": { cpuCoreHours: 6, memoryGiBHours: 12 },
    }));
    const result = allocateCluster("aks-prod-weu", days, { idle: "proportional", system: "proportional" });
    const legacy = result.days.map((day) => day.namespaces.find((ns) => ns.namespace === "orders-legacy"));
    expect(legacy.slice(0, 10).every((ns) => ns !== undefined && namespaceCents(ns) > 0)).toBe(true);
    expect(legacy.slice(10).every((ns) => ns === undefined)).toBe(true);

    const teams: Record<string, string> = { "orders-legacy": "orders", payments: "payments" };
    const attribution = attributeCosts({
      clusters: [result],
      namespaceTeam: (_cluster, namespace) => teams[namespace],
      serviceShares: () => [],
      serviceTeam: () => undefined,
      resources: [],
    });
    const legacyCents = legacy.slice(0, 10).reduce((sum, ns) => sum + namespaceCents(ns!), 0);
    expect(attribution.byTeam.orders).toBe(legacyCents);
    expect(attribution.byTeam.orders! + attribution.byTeam.payments!).toBe(attribution.totalCents);
  });
});

describe("attributeCosts", () => {
  it("sends tagged resources straight to their team and service, and splits a namespace among its services", () => {
    const cluster = allocateCluster("aks-prod-weu", [worked], { idle: "proportional", system: "proportional" });
    const shares: Record<string, ServiceShare[]> = {
      payments: [
        { service: "payment-gateway", weight: 3 },
        { service: "ledger", weight: 1 },
      ],
      orders: [
        { service: "cart", weight: 1 },
        { service: null, weight: 1 },
      ],
    };
    const attribution = attributeCosts({
      clusters: [cluster],
      namespaceTeam: (_c, ns) => ({ payments: "payments", orders: "orders" })[ns],
      serviceShares: (_c, ns) => shares[ns] ?? [],
      serviceTeam: (service) => (service === "fraud-scoring" ? "payments" : undefined),
      resources: [
        { day: "2026-03-02", cents: 1_420, team: "payments", service: "fraud-scoring" },
        { day: "2026-03-02", cents: 21, team: "payments" },
        { day: "2026-03-02", cents: 250, service: "fraud-scoring" },
        { day: "2026-03-02", cents: 167 },
      ],
    });
    expect(attribution).toEqual({
      totalCents: 10_000 + 1_420 + 21 + 250 + 167,
      byTeam: { payments: 6_500 + 1_420 + 21 + 250, orders: 3_500 },
      byService: { "payment-gateway": 4_875, ledger: 1_625, cart: 1_750, "fraud-scoring": 1_670 },
      noTeamCents: 167,
      noServiceCents: 1_750 + 21 + 167,
      idleCents: 0,
      systemCents: 0,
    });
    expect(attributionBalances(attribution)).toEqual({ byTeam: true, byService: true });
  });
});

describe("cluster bill from Cost Management rows", () => {
  it("adds the cluster's resource and its node resource group, case-insensitively, in minor units", () => {
    const cluster = {
      resourceId: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks1",
      nodeResourceGroup: "MC_rg_aks1_westeurope",
    };
    const bill = clusterBillByDay(
      [
        {
          day: "2026-03-01",
          resourceId: "/subscriptions/s/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks1",
          resourceGroup: "rg",
          amount: 2.16,
        },
        {
          day: "2026-03-01",
          resourceId: "/subscriptions/s/resourcegroups/mc_rg_aks1_westeurope/providers/microsoft.compute/virtualmachinescalesets/x",
          resourceGroup: "mc_rg_aks1_westeurope",
          amount: 16.42,
        },
        {
          day: "2026-03-01",
          resourceId: "/subscriptions/s/resourcegroups/rg-payments/providers/microsoft.cache/redis/r",
          resourceGroup: "rg-payments",
          amount: 3.36,
        },
      ],
      cluster,
      "EUR",
    );
    expect([...bill]).toEqual([["2026-03-01", 1_858]]);
    expect(toMinorUnits(1234.5, "JPY")).toBe(1235);
    expect(toMinorUnits(0.1 + 0.2, "EUR")).toBe(30);
  });
});

const rules = fc.constantFrom<SharingRule>("proportional", "even", "apart");
const namespaceNames = fc.constantFrom(
  "payments",
  "orders",
  "drone-delivery",
  "inventory",
  "fleet-ops",
  "team-a",
  "team-b",
  "kube-system",
  "gatekeeper-system",
  "ingress-nginx",
);
const hours = fc.record({ cpuCoreHours: fc.double({ min: 0, max: 500, noNaN: true }), memoryGiBHours: fc.double({ min: 0, max: 2000, noNaN: true }) });
const clusterDay = fc.record(
  {
    day: fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, "0")}`),
    billedCents: fc.integer({ min: 0, max: 5_000_000 }),
    capacity: hours,
    capacitySampled: fc.boolean(),
    requests: fc.dictionary(namespaceNames, hours, { maxKeys: 10 }),
  },
  { requiredKeys: ["day", "billedCents", "capacity", "requests"] },
);
const rule = fc.record({
  idle: rules,
  system: rules,
  cpuWeight: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
}) as fc.Arbitrary<AllocationRule>;

describe("allocation properties", () => {
  it("for random clusters, namespaces and bills, every day adds up to the bill to the cent, with no negative share", () => {
    fc.assert(
      fc.property(fc.array(clusterDay, { minLength: 1, maxLength: 31 }), rule, (days, r) => {
        const result = allocateCluster("aks-random", days, r);
        for (const day of result.days) {
          expect(allocatedCents(day)).toBe(day.billedCents);
          for (const ns of day.namespaces) for (const part of [ns.requestedCents, ns.idleCents, ns.systemCents]) expect(part).toBeGreaterThanOrEqual(0);
          const workloads = day.namespaces.filter((ns) => !ns.system);
          if (r.idle !== "apart" && workloads.length > 0) expect(day.idleCents).toBe(0);
          if (r.system !== "apart" && workloads.length > 0) expect(day.namespaces.some((ns) => ns.system)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("for random capacity and requests, idle kept apart is the bill's unrequested share, within a cent; unsampled capacity gives none", () => {
    fc.assert(
      fc.property(clusterDay, fc.double({ min: 0, max: 1, noNaN: true }), (day, cpuWeight) => {
        const result = allocateClusterDay(day, { idle: "apart", system: "apart", cpuWeight });
        expect(allocatedCents(result)).toBe(day.billedCents);
        const requested = Object.values(day.requests);
        const cpu = requested.reduce((sum, h) => sum + h.cpuCoreHours, 0);
        const memory = requested.reduce((sum, h) => sum + h.memoryGiBHours, 0);
        const sampled = day.capacitySampled ?? (day.capacity.cpuCoreHours > 0 || day.capacity.memoryGiBHours > 0);
        expect(result.capacitySampled).toBe(sampled);
        if (result.unsampled) {
          expect(result.idleCents).toBe(day.billedCents);
          return;
        }
        const cpuBase = Math.max(sampled ? day.capacity.cpuCoreHours : 0, cpu);
        const memoryBase = Math.max(sampled ? day.capacity.memoryGiBHours : 0, memory);
        // A resource with no base at all passes its weight to the other one (no capacity sampled, only memory asked for).
        const cpuShare = cpuBase > 0 ? (memoryBase > 0 ? cpuWeight : 1) : 0;
        // Fractions before weights, so requests of subnormal hours (fc.double draws them) are shares like any other.
        const share = (cpuBase > 0 ? cpuShare * (cpu / cpuBase) : 0) + (memoryBase > 0 ? (1 - cpuShare) * (memory / memoryBase) : 0);
        // Each part is within a cent of its exact share (largest remainder), so idle is too.
        expect(Math.abs(result.idleCents - day.billedCents * Math.max(0, 1 - share))).toBeLessThanOrEqual(1 + 1e-6 * day.billedCents);
        if (!sampled) expect(result.idleCents).toBeLessThanOrEqual(1);
      }),
      { numRuns: 1000, seed: 220322363 },
    );
  });

  it("says which days had no node capacity sampled, and never for days without samples at all", () => {
    fc.assert(
      fc.property(fc.array(clusterDay, { minLength: 1, maxLength: 31 }), rule, (days, r) => {
        const result = allocateCluster("aks-random", days, r);
        const missing = result.days.filter((day) => day.billedCents !== 0 && !day.unsampled && !day.capacitySampled);
        const note = result.notes.find((text) => text.includes("no node capacity sampled"));
        expect(note !== undefined).toBe(missing.length > 0);
        const withSamples = result.days.filter((day) => day.billedCents !== 0 && !day.unsampled);
        if (note && missing.length < withSamples.length && missing.length <= 5) for (const day of missing) expect(note).toContain(day.day);
        if (note && missing.length < withSamples.length && missing.length > 5) expect(note).toContain(`on ${missing.length} days from ${missing[0]!.day} to `);
      }),
      { numRuns: 300 },
    );
  });

  it("for random team and service mappings and tagged resources, the team and service views add up to the whole bill", () => {
    const tagged = fc.array(
      fc.record({
        day: fc.constant("2026-02-01"),
        cents: fc.integer({ min: -5_000, max: 500_000 }),
        team: fc.option(fc.constantFrom("payments", "orders"), { nil: undefined }),
        service: fc.option(fc.constantFrom("cart", "ledger", "fraud-scoring"), { nil: undefined }),
      }),
      { maxLength: 20 },
    );
    const shares = fc.array(
      fc.record({ service: fc.option(fc.constantFrom("cart", "ledger", "stock-api"), { nil: null }), weight: fc.double({ min: 0, max: 100, noNaN: true }) }),
      { maxLength: 4 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(clusterDay, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 3 }),
        rule,
        tagged,
        fc.dictionary(namespaceNames, fc.constantFrom("payments", "orders", "inventory")),
        fc.dictionary(namespaceNames, shares),
        (clusters, r, resources, teams, serviceShares) => {
          const allocations = clusters.map((days, i) => allocateCluster(`aks-${i}`, days, r));
          const attribution = attributeCosts({
            clusters: allocations,
            namespaceTeam: (_c, ns) => teams[ns],
            serviceShares: (_c, ns) => serviceShares[ns] ?? [],
            serviceTeam: (service) => (service === "fraud-scoring" ? "payments" : undefined),
            resources,
          });
          const bill = clusters.flat().reduce((sum, day) => sum + day.billedCents, 0) + resources.reduce((sum, res) => sum + res.cents, 0);
          expect(attribution.totalCents).toBe(bill);
          expect(attributionBalances(attribution)).toEqual({ byTeam: true, byService: true });
        },
      ),
      { numRuns: 300 },
    );
  });
});
