import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocateCluster, allocationNotes, type ClusterDay } from "./allocate";
import { attributeCosts, type ServiceShare, type TaggedCost } from "./attribute";
import { buildCostReport, costGroupings, daysBetween, summarizeCells, topMovers, type CostCell, type CostReportInput, type ReportCluster } from "./cost-report";

const day = (d: string, billedCents: number, requests: ClusterDay["requests"]): ClusterDay => ({
  day: d,
  billedCents,
  capacity: { cpuCoreHours: 0, memoryGiBHours: 0 },
  requests,
});

const clusters: ReportCluster[] = [
  {
    id: "c1",
    name: "aks-prod",
    days: [
      day("2026-03-01", 10_000, {
        payments: { cpuCoreHours: 3, memoryGiBHours: 3 },
        orders: { cpuCoreHours: 1, memoryGiBHours: 1 },
        "kube-system": { cpuCoreHours: 1, memoryGiBHours: 1 },
      }),
      day("2026-03-02", 999, {}),
    ],
  },
];
const teams: Record<string, string> = { payments: "payments", orders: "orders" };
const input = (groupBy: CostReportInput["groupBy"], resources: TaggedCost[] = []): CostReportInput => ({
  groupBy,
  clusters,
  resources,
  namespaceTeam: (_c, ns) => teams[ns],
  serviceShares: (_c, ns) =>
    ns === "payments"
      ? [
          { service: "checkout", weight: 3 },
          { service: null, weight: 1 },
        ]
      : [],
  serviceTeam: (service) => ({ checkout: "payments", ledger: "orders" })[service],
  rule: { idle: "apart", system: "apart" },
});
const days = daysBetween("2026-03-01", "2026-03-02");
const totals = (summary: ReturnType<typeof summarizeCells>) => Object.fromEntries(summary.lines.map((line) => [line.key, line.totalCents]));

describe("buildCostReport", () => {
  it("gives each team its namespaces' cents and its tagged resources, idle and system apart", () => {
    const report = buildCostReport(
      input("team", [
        { day: "2026-03-01", cents: 500, service: "ledger" },
        { day: "2026-03-02", cents: 7 },
      ]),
    );
    expect(report.totalCents).toBe(11_506);
    expect(totals(summarizeCells(report.cells, days, "all"))).toEqual({ payments: 6000, orders: 2500, idle: 999, system: 2000, unassigned: 7 });
    expect(report.notes).toEqual([
      "aks-prod: no namespace samples on 2026-03-02; that cost is idle.",
      // The fixture samples no node capacity: shares are of the requests, and the note says so.
      "aks-prod: no node capacity sampled for any sampled day; that cost is shared by requests, and its idle capacity is unknown, not zero.",
    ]);
  });

  it("splits a namespace among its services by their requests, the rest unassigned", () => {
    const summary = summarizeCells(buildCostReport(input("service")).cells, days, "all");
    // Payments: 6000 as 3:1 between checkout and no service; orders (no deployments) unassigned.
    expect(totals(summary)).toEqual({ checkout: 4500, idle: 999, system: 2000, unassigned: 3500 });
  });

  it("names namespaces by cluster and clusters by name", () => {
    expect(totals(summarizeCells(buildCostReport(input("namespace")).cells, days, "all"))).toMatchObject({
      "aks-prod/payments": 6000,
      "aks-prod/orders": 2000,
    });
    expect(totals(summarizeCells(buildCostReport(input("cluster")).cells, days, "all"))).toEqual({ "aks-prod": 8000, idle: 999, system: 2000 });
  });

  it("shows a member only their teams' cells: no idle, system or other teams", () => {
    const summary = summarizeCells(buildCostReport(input("namespace")).cells, days, new Set(["orders"]));
    expect(totals(summary)).toEqual({ "aks-prod/orders": 2000 });
    expect(summary.dailyCents).toEqual([2000, 0]);
  });
});

describe("buildCostReport, property: every grouping adds up to the bill to the cent", () => {
  const namespaces = ["a", "b", "c", "kube-system"];
  const arbDay = (d: string) =>
    fc
      .record({
        billedCents: fc.integer({ min: 0, max: 5_000_000 }),
        requests: fc.dictionary(
          fc.constantFrom(...namespaces),
          fc.record({ cpuCoreHours: fc.double({ min: 0, max: 100, noNaN: true }), memoryGiBHours: fc.double({ min: 0, max: 400, noNaN: true }) }),
        ),
        capacity: fc.record({ cpuCoreHours: fc.double({ min: 0, max: 500, noNaN: true }), memoryGiBHours: fc.double({ min: 0, max: 2000, noNaN: true }) }),
      })
      .map((x) => ({ day: d, ...x }));
  const arbCluster = (id: string) => fc.tuple(arbDay("2026-03-01"), arbDay("2026-03-02")).map((d) => ({ id, name: id, days: d }));
  const arbResource = fc.record({
    day: fc.constantFrom("2026-03-01", "2026-03-02"),
    cents: fc.integer({ min: 0, max: 100_000 }),
    team: fc.option(fc.constantFrom("t1", "t2"), { nil: undefined }),
    service: fc.option(fc.constantFrom("s1", "s2"), { nil: undefined }),
  });
  const arbShares = fc.array(
    fc.record({ service: fc.option(fc.constantFrom("s1", "s2"), { nil: null }), weight: fc.double({ min: 0, max: 10, noNaN: true }) }),
    { maxLength: 3 },
  );

  it("for random clusters, requests, tagged resources and rules", () => {
    fc.assert(
      fc.property(
        fc.array(arbCluster("x"), { minLength: 0, maxLength: 3 }).map((cs) => cs.map((c, i) => ({ ...c, id: `c${i}`, name: `c${i}` }))),
        fc.array(arbResource, { maxLength: 6 }),
        arbShares,
        fc.constantFrom("apart", "proportional", "even"),
        fc.constantFrom("apart", "proportional", "even"),
        (cs, resources, shares, idle, system) => {
          const bill = cs.reduce((sum, c) => sum + c.days.reduce((s, d) => s + d.billedCents, 0), 0) + resources.reduce((s, r) => s + r.cents, 0);
          const base = {
            clusters: cs,
            resources,
            namespaceTeam: (_c: string, ns: string) => (ns === "a" ? "t1" : ns === "b" ? "t2" : undefined),
            serviceShares: (): readonly ServiceShare[] => shares,
            serviceTeam: (s: string) => (s === "s1" ? "t1" : undefined),
            rule: { idle, system } as const,
          };
          for (const groupBy of costGroupings) {
            const report = buildCostReport({ ...base, groupBy });
            expect(report.totalCents).toBe(bill);
            expect(summarizeCells(report.cells, daysBetween("2026-03-01", "2026-03-02"), "all").totalCents).toBe(bill);
          }
          // The team view agrees with attribute.ts, team by team.
          const byTeam = totals(summarizeCells(buildCostReport({ ...base, groupBy: "team" }).cells, daysBetween("2026-03-01", "2026-03-02"), "all"));
          const attribution = attributeCosts({ ...base, clusters: cs.map((c) => allocateCluster(c.id, c.days, base.rule)) });
          for (const [team, cents] of Object.entries(attribution.byTeam)) expect(byTeam[team] ?? 0).toBe(cents);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("buildCostReport, property: a day's cells depend on that day alone (what a stored allocation rests on, decision 0035)", () => {
  const arbDay = (d: string) =>
    fc
      .record({
        billedCents: fc.integer({ min: -1_000, max: 5_000_000 }),
        requests: fc.dictionary(
          fc.constantFrom("a", "b", "kube-system"),
          fc.record({ cpuCoreHours: fc.double({ min: 0, max: 100, noNaN: true }), memoryGiBHours: fc.double({ min: 0, max: 400, noNaN: true }) }),
        ),
      })
      .map((x) => ({ day: d, capacity: { cpuCoreHours: 0, memoryGiBHours: 0 }, ...x }));
  const dates = ["2026-03-30", "2026-03-31", "2026-04-01"];

  it("the report of a range is the reports of its days put together, cell for cell, notes included", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(...dates.map(arbDay)), { maxLength: 3 }),
        fc.array(fc.record({ day: fc.constantFrom(...dates), cents: fc.integer({ min: 0, max: 9_999 }), team: fc.constantFrom("t1", undefined) }), {
          maxLength: 4,
        }),
        fc.constantFrom(...costGroupings),
        (clusterDays, resources, groupBy) => {
          const cs = clusterDays.map((days, i) => ({ id: `c${i}`, name: `c${i}`, days }));
          const base = {
            groupBy,
            resources,
            // A namespace's team per day, as samples carry it.
            namespaceTeam: (_c: string, ns: string, d: string) => (ns === "a" ? "t1" : ns === "b" && d !== "2026-03-31" ? "t2" : undefined),
            serviceShares: (_c: string, ns: string): readonly ServiceShare[] => (ns === "a" ? [{ service: "s1", weight: 2 }] : []),
            serviceTeam: () => undefined,
            rule: { idle: "apart", system: "apart" } as const,
          };
          const whole = buildCostReport({ ...base, clusters: cs });
          const perDay = dates.map((d) =>
            buildCostReport({
              ...base,
              clusters: cs.map((c) => ({ ...c, days: c.days.filter((x) => x.day === d) })),
              resources: resources.filter((r) => r.day === d),
            }),
          );
          const sortCells = (cells: CostCell[]) => [...cells].sort((x, y) => `${x.day}${x.key}${x.team}`.localeCompare(`${y.day}${y.key}${y.team}`));
          expect(sortCells(perDay.flatMap((r) => r.cells))).toEqual(sortCells(whole.cells));
          // Notes from the clusters' days alone (what is stored) are the allocation's notes.
          const notes = cs.flatMap((c) =>
            allocationNotes(
              c.name,
              whole.clusterDays.filter((d) => d.clusterId === c.id),
              base.rule,
            ),
          );
          expect(notes).toEqual(whole.notes);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe("topMovers and daysBetween", () => {
  it("compares the last 7 days with the 7 before, largest change first", () => {
    const range = daysBetween("2026-03-01", "2026-03-14");
    expect(range).toHaveLength(14);
    const cells = range.flatMap((d, i) => [
      { day: d, key: "up", apart: null, team: "t", cents: i < 7 ? 100 : 300 },
      { day: d, key: "flat", apart: null, team: "t", cents: 50 },
      { day: d, key: "down", apart: null, team: "t", cents: i < 7 ? 100 : 90 },
      { day: d, key: "idle", apart: "idle" as const, team: null, cents: i < 7 ? 0 : 1000 },
    ]);
    expect(topMovers(summarizeCells(cells, range, "all"))).toEqual([
      { key: "up", lastWeekCents: 2100, previousWeekCents: 700, changeCents: 1400 },
      { key: "down", lastWeekCents: 630, previousWeekCents: 700, changeCents: -70 },
    ]);
    expect(topMovers(summarizeCells(cells, range.slice(1), "all"))).toEqual([]);
  });

  it("crosses month ends", () => {
    expect(daysBetween("2026-02-27", "2026-03-01")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01"]);
  });
});
