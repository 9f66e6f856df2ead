// Every query Wharf sends must parse with zero diagnostics against the App
// Insights tables, with the same parser the sandbox (and Log Analytics) use;
// and no role name can change a query's shape.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { kqlDiagnostics, parseKql, type KustoSyntaxNode } from "@/sandbox/monitor/kql/parse";
import {
  edgeOperationsQuery,
  mapEdgeOperationsResult,
  type EdgeCallee,
  healthQuery,
  kqlMinutes,
  kqlString,
  kqlStringList,
  mapEdgesQuery,
  mapHealthResult,
  mapMapEdgesResult,
  QueryResultShapeError,
} from "@/lib/health/queries";
import type { LogsTable } from "@/lib/azure/logs";
import { runKql } from "@/sandbox/monitor/kql/evaluate";

const hostileRoles = [
  'checkout"; AppRequests | take 1000000; let x = "',
  "pay|ments",
  "back\\slash\\",
  "new\nline",
  "carriage\r\nreturn\ttab",
  "quote ' single",
  '""',
  '\\"',
  "emoji 🚢 and é",
  "line\u2028separator",
  "nul\u0000byte",
  "*/ // comment",
];

/** Every string literal's value in a query, as the parser reads it. */
function literalValues(query: string): unknown[] {
  const values: unknown[] = [];
  const walk = (node: KustoSyntaxNode | null) => {
    if (!node) return;
    if ("LiteralValue" in node && typeof node.LiteralValue === "string" && node.ResultType?.Name === "string") values.push(node.LiteralValue);
    for (let i = 0; i < node.ChildCount; i++) walk(node.GetChild(i));
  };
  walk(parseKql(query).code.Syntax);
  return values;
}

/** Every query this module can produce, in the shapes it produces them. */
function everyQuery(): { name: string; text: string }[] {
  return [
    healthQuery({ roles: ["payments-api"] }),
    healthQuery({ roles: ["payments-api", "checkout", "web"], windowMinutes: 60 }),
    healthQuery({ roles: hostileRoles, windowMinutes: 1 }),
    mapEdgesQuery({ window: "1h" }),
    mapEdgesQuery({ window: "24h" }),
    mapEdgesQuery({ window: "7d" }),
    ...edgeCallees(["api"], ["sqlsrv"]).map((callee) => edgeOperationsQuery({ window: "1h", callerRoles: ["web"], callerComponentIds: ["/c/dev"], callee })),
    ...edgeCallees(hostileRoles, hostileRoles).map((callee) =>
      edgeOperationsQuery({ window: "7d", callerRoles: hostileRoles, callerComponentIds: hostileRoles, callee }),
    ),
    edgeOperationsQuery({
      window: "24h",
      callerRoles: ["web"],
      callerComponentIds: ["/c/dev"],
      callee: { kind: "external-group", dependencyType: "SQL", excludedTargets: [] },
    }),
  ];
}

/** One callee of each kind, with these roles and targets. */
function edgeCallees(roles: readonly string[], targets: readonly string[]): EdgeCallee[] {
  return [
    { kind: "component", roles },
    { kind: "external", dependencyType: targets[0]!, target: targets[0]! },
    { kind: "external-group", dependencyType: targets[0]!, excludedTargets: targets },
  ];
}

describe("every query Wharf sends", () => {
  it.each(everyQuery().map((query, index) => ({ ...query, label: `${query.name} #${index + 1}` })))("$label parses with zero diagnostics", ({ text }) => {
    expect(kqlDiagnostics(text)).toEqual([]);
  });

  it("the parser's checker is not blind: a broken query has diagnostics", () => {
    expect(kqlDiagnostics(healthQuery({ roles: ["a"] }).text.replace("AppRequests", "AppRequestz"))).not.toEqual([]);
    expect(kqlDiagnostics(`let roles = dynamic(["a" | take 1]);`)).not.toEqual([]);
    expect(kqlDiagnostics(mapEdgesQuery({ window: "1h" }).text.replace("CallerResourceId = _ResourceId", "CallerResourceId = _ResourceIdent"))).not.toEqual([]);
  });
});

describe("kqlString", () => {
  it.each(hostileRoles)("keeps %j inside one literal whose value is exactly the input", (role) => {
    const literal = kqlString(role);
    expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(literalValues(`print x = ${literal}`)).toEqual([role]);
  });

  it("any string at all round-trips through the parser", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (value) => {
        expect(literalValues(`print x = ${kqlString(value)}`)).toEqual([value]);
      }),
      { numRuns: 200 },
    );
  });
});

describe("healthQuery", () => {
  it("puts hostile role names into the dynamic list only, and the rest of the query is unchanged", () => {
    const plain = healthQuery({ roles: ["a"] }).text;
    const hostile = healthQuery({ roles: hostileRoles }).text;
    const [plainFirst, ...plainRest] = plain.split("\n");
    const [hostileFirst, ...hostileRest] = hostile.split("\n");
    expect(hostileRest).toEqual(plainRest);
    expect(plainFirst).toBe('let roles = dynamic(["a"]);');
    expect(hostileFirst).toBe(`let roles = ${kqlStringList([...hostileRoles].sort())};`);
    expect(kqlDiagnostics(hostile)).toEqual([]);
    // The list holds each role once, as the exact string, and nothing else is a literal but the query's own.
    expect(literalValues(hostile)).toEqual([...[...hostileRoles].sort(), "window", "minute", "availability"]);
  });

  it("deduplicates and sorts roles, so the same services give the same text", () => {
    expect(healthQuery({ roles: ["b", "a", "b"] }).text).toBe(healthQuery({ roles: ["a", "b"] }).text);
  });

  it("writes the window as whole minutes and refuses anything else", () => {
    expect(healthQuery({ roles: ["a"], windowMinutes: 30 })).toMatchObject({ name: "health", timespan: "PT35M" });
    expect(healthQuery({ roles: ["a"], windowMinutes: 30 }).text).toContain("let since = ago(30m);");
    expect(() => kqlMinutes(1.5)).toThrow(RangeError);
    expect(() => kqlMinutes(0)).toThrow(RangeError);
    expect(() => kqlMinutes(Number.NaN)).toThrow(RangeError);
    expect(() => healthQuery({ roles: [] })).toThrow(RangeError);
  });
});

describe("mapHealthResult", () => {
  const columns = [
    { name: "Grain", type: "string" },
    { name: "AppRoleName", type: "string" },
    { name: "ResourceId", type: "string" },
    { name: "Minute", type: "datetime" },
    { name: "Requests", type: "long" },
    { name: "Failed", type: "long" },
    { name: "FailureRatePct", type: "real" },
    { name: "P95DurationMs", type: "real" },
    { name: "RequestsSquares", type: "long" },
    { name: "FailedSquares", type: "long" },
    { name: "AvailabilityRuns", type: "long" },
    { name: "AvailabilityPassed", type: "long" },
    { name: "AvailabilityPct", type: "real" },
  ];
  const component = "/subscriptions/S/resourceGroups/rg-obs/providers/Microsoft.Insights/components/appi-wharf-prod";

  it("splits window, minute and availability rows into Wharf's figures", () => {
    const table: LogsTable = {
      name: "PrimaryResult",
      columns,
      rows: [
        ["window", "payments-api", component, null, 1200, 30, 2.5, 412.7, 14_400, 300, null, null, null],
        ["minute", "payments-api", component, new Date("2026-12-04T14:29:00Z"), 80, 2, 2.5, 380, null, null, null, null, null],
        ["minute", "payments-api", component, "2026-12-04T14:30:00Z", 0, 0, null, null, null, null, null, null, null],
        ["availability", "payments-api", null, null, null, null, null, null, null, null, 12, 11, 91.667],
      ],
    };
    expect(mapHealthResult([table])).toEqual({
      window: [
        {
          role: "payments-api",
          componentId: component.toLowerCase(),
          requests: 1200,
          failed: 30,
          failureRatePct: 2.5,
          p95DurationMs: 412.7,
          requestsSquares: 14_400,
          failedSquares: 300,
        },
      ],
      minutes: [
        {
          role: "payments-api",
          componentId: component.toLowerCase(),
          minute: new Date("2026-12-04T14:29:00Z"),
          requests: 80,
          failed: 2,
          failureRatePct: 2.5,
          p95DurationMs: 380,
          requestsSquares: 0,
          failedSquares: 0,
        },
        {
          role: "payments-api",
          componentId: component.toLowerCase(),
          minute: new Date("2026-12-04T14:30:00Z"),
          requests: 0,
          failed: 0,
          failureRatePct: null,
          p95DurationMs: null,
          requestsSquares: 0,
          failedSquares: 0,
        },
      ],
      availability: [{ role: "payments-api", runs: 12, passed: 11, availabilityPct: 91.667 }],
    });
  });

  it("finds columns by name, not position", () => {
    const reversed = [...columns].reverse();
    const row = ["window", "web", component, null, 10, 1, 10, 99, 10, 1, null, null, null].reverse();
    expect(mapHealthResult([{ name: "PrimaryResult", columns: reversed, rows: [row] }]).window[0]).toMatchObject({ role: "web", requests: 10, failed: 1 });
  });

  it("no table is no figures; a missing column or an unknown grain is a shape error", () => {
    expect(mapHealthResult([])).toEqual({ window: [], minutes: [], availability: [] });
    expect(() => mapHealthResult([{ name: "PrimaryResult", columns: columns.slice(1), rows: [] }])).toThrow(QueryResultShapeError);
    expect(() => mapHealthResult([{ name: "PrimaryResult", columns, rows: [["hourly", "a", "", null, 1, 0, 0, 1, 1, 0, null, null, null]] }])).toThrow(
      /unknown Grain/,
    );
  });
});

describe("the health query, evaluated by the sandbox's KQL evaluator", () => {
  const now = new Date("2026-12-04T14:30:30.000Z");
  const prod = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Insights/components/appi-wharf-prod";
  const request = (role: string, minute: number, durationMs: number, success: boolean, itemCount: number, resourceId = prod) => ({
    TimeGenerated: new Date(now.getTime() - minute * 60_000),
    AppRoleName: role,
    _ResourceId: resourceId,
    DurationMs: durationMs,
    Success: success,
    ItemCount: itemCount,
  });
  const rows: Record<string, Record<string, unknown>[]> = {
    AppRequests: [
      request("payments-api", 1, 100, true, 10),
      request("payments-api", 1, 900, false, 2),
      request("payments-api", 2, 120, true, 8),
      request('we"ird|role', 1, 50, true, 1),
      request("unknown-role", 1, 50, false, 100),
      request("payments-api", 40, 5000, false, 100),
    ],
    AppAvailabilityResults: [
      { TimeGenerated: new Date(now.getTime() - 60_000), AppRoleName: "payments-api", Success: true, ItemCount: 3 },
      { TimeGenerated: new Date(now.getTime() - 120_000), AppRoleName: "payments-api", Success: false, ItemCount: 1 },
      // A standard (portal) test: no role name, matched by its test name.
      { TimeGenerated: new Date(now.getTime() - 180_000), AppRoleName: "", Name: "payments-api", Success: true, ItemCount: 2 },
      { TimeGenerated: new Date(now.getTime() - 180_000), AppRoleName: "", Name: "someone-elses-test", Success: false, ItemCount: 5 },
    ],
    AppDependencies: [],
    AppExceptions: [],
  };
  const source = { rows: (table: string) => rows[table] ?? [] };

  it("weights by ItemCount, keeps to the window and to the roles asked for", () => {
    const query = healthQuery({ roles: ["payments-api", 'we"ird|role'] });
    const tables = runKql(query.text, source as never, { now, range: { start: new Date(now.getTime() - 35 * 60_000), end: now } });
    const result = mapHealthResult(tables);
    expect(result.window).toEqual(
      expect.arrayContaining([
        // Sampled 1 in 10, 1 in 2 and 1 in 8: the squares 100 + 4 + 64 and the failed row's 4.
        {
          role: "payments-api",
          componentId: prod.toLowerCase(),
          requests: 20,
          failed: 2,
          failureRatePct: 10,
          p95DurationMs: expect.any(Number),
          requestsSquares: 168,
          failedSquares: 4,
        },
        {
          role: 'we"ird|role',
          componentId: prod.toLowerCase(),
          requests: 1,
          failed: 0,
          failureRatePct: 0,
          p95DurationMs: 50,
          requestsSquares: 1,
          failedSquares: 0,
        },
      ]),
    );
    expect(result.window).toHaveLength(2);
    expect(result.window.find((row) => row.role === "payments-api")!.p95DurationMs).toBeGreaterThanOrEqual(120);
    expect(result.minutes.filter((row) => row.role === "payments-api").map((row) => [row.minute.toISOString(), row.requests, row.failed])).toEqual(
      expect.arrayContaining([
        ["2026-12-04T14:29:00.000Z", 12, 2],
        ["2026-12-04T14:28:00.000Z", 8, 0],
      ]),
    );
    expect(result.availability).toEqual([{ role: "payments-api", runs: 6, passed: 5, availabilityPct: 83.333 }]);
  });
});

describe("the map-edges query, evaluated by the sandbox's KQL evaluator", () => {
  const now = new Date("2026-12-04T14:30:00.000Z");
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
  const dev = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Insights/components/APPI-DEV";
  const dependency = (row: Record<string, unknown>) => ({ TimeGenerated: at(5), _ResourceId: dev, Success: true, ItemCount: 1, DurationMs: 10, ...row });
  const request = (row: Record<string, unknown>) => ({ TimeGenerated: at(5), _ResourceId: dev, Success: true, ItemCount: 1, DurationMs: 5, ...row });
  const rows: Record<string, Record<string, unknown>[]> = {
    AppDependencies: [
      // web → api, matched by parent id: sampled 1 in 4 and 1 in 2, one failed a minute ago (within the recent minutes).
      dependency({ AppRoleName: "web", Id: "d1", OperationId: "o1", DependencyType: "Http", Target: "10.0.0.7", DurationMs: 100, ItemCount: 4 }),
      dependency({
        AppRoleName: "web",
        Id: "d2",
        OperationId: "o2",
        DependencyType: "Http",
        Target: "api | cid-v1:abc",
        DurationMs: 300,
        ItemCount: 2,
        Success: false,
        TimeGenerated: at(1),
      }),
      // Same Id as a request's ParentId but another operation: not a match, so external.
      dependency({ AppRoleName: "web", Id: "d3", OperationId: "o3", DependencyType: "Http", Target: "api.stripe.com", DurationMs: 50 }),
      // Two SQL calls to one server, one with the classic suffix: one external target.
      dependency({ AppRoleName: "api", Id: "d4", OperationId: "o1", DependencyType: "SQL", Target: "sqlsrv | cid-v1:xyz", DurationMs: 8, ItemCount: 3 }),
      dependency({ AppRoleName: "api", Id: "d5", OperationId: "o2", DependencyType: "SQL", Target: "sqlsrv", DurationMs: 12, Success: false }),
      // In-process spans are not edges; telemetry older than the window is invisible.
      dependency({ AppRoleName: "api", Id: "d6", OperationId: "o1", DependencyType: "InProc", Target: "local" }),
      dependency({ AppRoleName: "web", Id: "d7", OperationId: "o7", DependencyType: "Http", Target: "old", TimeGenerated: at(120) }),
      // A self-call: api calls api.
      dependency({ AppRoleName: "api", Id: "d8", OperationId: "o8", DependencyType: "Http", Target: "api" }),
    ],
    AppRequests: [
      request({ AppRoleName: "api", Id: "r1", ParentId: "d1", OperationId: "o1" }),
      request({ AppRoleName: "api", Id: "r2", ParentId: "d2", OperationId: "o2" }),
      request({ AppRoleName: "api", Id: "r3", ParentId: "d3", OperationId: "o-other" }),
      request({ AppRoleName: "api", Id: "r8", ParentId: "d8", OperationId: "o8" }),
    ],
    AppAvailabilityResults: [],
    AppExceptions: [],
  };
  const source = { rows: (table: string) => rows[table] ?? [] };

  it("matches callees by parent id within the operation, groups external targets, weights by ItemCount", () => {
    const query = mapEdgesQuery({ window: "1h" });
    expect(query.timespan).toBe("PT65M");
    const edges = mapMapEdgesResult(runKql(query.text, source as never, { now, range: { start: at(65), end: now } }));
    const key = (edge: { callerRole: string; calleeKind: string; calleeRole: string; dependencyType: string; target: string }) =>
      `${edge.callerRole}>${edge.calleeKind === "component" ? edge.calleeRole : `${edge.dependencyType}:${edge.target}`}`;
    const byKey = new Map(edges.map((edge) => [key(edge), edge]));
    expect([...byKey.keys()].sort()).toEqual(["api>SQL:sqlsrv", "api>api", "web>Http:api.stripe.com", "web>api"]);
    // 4 + 2 calls, 2 failed; average (100·4 + 300·2) / 6.
    expect(byKey.get("web>api")).toMatchObject({
      callerComponentId: dev.toLowerCase(),
      calleeKind: "component",
      target: "",
      calls: 6,
      failedCalls: 2,
      failedPct: 33.33,
      avgMs: 166.7,
    });
    expect(byKey.get("web>api")!.p95Ms).toBe(300);
    // The last two minutes apart: only the failed call of a minute ago.
    expect(byKey.get("web>api")).toMatchObject({ recentCalls: 2, recentFailedCalls: 2, recentSquares: 4, recentFailedSquares: 4 });
    expect(byKey.get("api>SQL:sqlsrv")).toMatchObject({ recentCalls: 0, recentFailedCalls: 0, recentSquares: 0, recentFailedSquares: 0 });
    expect(byKey.get("api>SQL:sqlsrv")).toMatchObject({ calleeKind: "external", calleeRole: "", calls: 4, failedCalls: 1, failedPct: 25, avgMs: 9 });
    expect(byKey.get("web>Http:api.stripe.com")).toMatchObject({ calleeKind: "external", calls: 1 });
    expect(byKey.get("api>api")).toMatchObject({ calleeKind: "component", calls: 1 });
  });

  it("a missing column or an unknown callee kind is a shape error", () => {
    const columns = [
      "CallerRole",
      "CallerResourceId",
      "CalleeKind",
      "CalleeRole",
      "DependencyType",
      "Target",
      "Calls",
      "FailedCalls",
      "FailedPct",
      "AvgMs",
      "P95Ms",
      "RecentCalls",
      "RecentFailedCalls",
      "RecentSquares",
      "RecentFailedSquares",
    ].map((name) => ({ name, type: "string" }));
    expect(mapMapEdgesResult([])).toEqual([]);
    expect(() => mapMapEdgesResult([{ name: "PrimaryResult", columns: columns.slice(1), rows: [] }])).toThrow(QueryResultShapeError);
    expect(() => mapMapEdgesResult([{ name: "PrimaryResult", columns, rows: [["a", "", "peer", "", "Http", "x", 1, 0, 0, 1, 1, 0, 0, 0, 0]] }])).toThrow(
      /unknown CalleeKind/,
    );
  });
});

describe("edgeOperationsQuery", () => {
  it("puts hostile role names, targets and components into the let lines only: the rest of each kind's query is unchanged", () => {
    const plain = edgeCallees(["api"], ["sqlsrv"]).map((callee) =>
      edgeOperationsQuery({ window: "1h", callerRoles: ["web"], callerComponentIds: ["/c"], callee }),
    );
    const hostile = edgeCallees(hostileRoles, hostileRoles).map((callee) =>
      edgeOperationsQuery({ window: "1h", callerRoles: hostileRoles, callerComponentIds: hostileRoles, callee }),
    );
    for (const [index, query] of hostile.entries()) {
      const lines = query.text.split("\n");
      const plainLines = plain[index]!.text.split("\n");
      // Five let lines carry the values; nothing after them differs.
      expect(lines.slice(5)).toEqual(plainLines.slice(5));
      expect(lines.slice(0, 5).map((line) => line.split(" = ")[0])).toEqual([
        "let callers",
        "let components",
        "let calleeRoles",
        "let dependencyType",
        "let targets",
      ]);
      expect(kqlDiagnostics(query.text)).toEqual([]);
      const values = literalValues(query.text);
      for (const role of hostileRoles) expect(values).toContain(role);
      // Each value is one literal, never text of the query: callers and callee roles, or callers, the type and the targets (components are lowercased).
      expect(values.filter((value) => value === hostileRoles[0])).toHaveLength(index === 0 ? 2 : 3);
    }
  });

  it("refuses an edge without a caller, a component or a callee role", () => {
    const callee: EdgeCallee = { kind: "component", roles: ["api"] };
    expect(() => edgeOperationsQuery({ window: "1h", callerRoles: [], callerComponentIds: ["/c"], callee })).toThrow(RangeError);
    expect(() => edgeOperationsQuery({ window: "1h", callerRoles: ["web"], callerComponentIds: [], callee })).toThrow(RangeError);
    expect(() => edgeOperationsQuery({ window: "1h", callerRoles: ["web"], callerComponentIds: ["/c"], callee: { kind: "component", roles: [] } })).toThrow(
      RangeError,
    );
    expect(edgeOperationsQuery({ window: "24h", callerRoles: ["web"], callerComponentIds: ["/c"], callee })).toMatchObject({
      name: "map-edge-operations-24h",
      timespan: "PT1445M",
    });
  });

  it("an unknown grain or a missing column is a shape error; no table is no rows", () => {
    const columns = ["Grain", "Operation", "ResultCode", "TopFailingResultCode", "Calls", "Failed", "FailedPct", "P95Ms"].map((name) => ({
      name,
      type: "string",
    }));
    expect(mapEdgeOperationsResult([])).toEqual({ operations: [], resultCodes: [] });
    expect(() => mapEdgeOperationsResult([{ name: "PrimaryResult", columns: columns.slice(1), rows: [] }])).toThrow(QueryResultShapeError);
    expect(() => mapEdgeOperationsResult([{ name: "PrimaryResult", columns, rows: [["daily", "", "", "", 1, 0, 0, null]] }])).toThrow(/unknown Grain/);
  });
});

describe("the edge-operations query, evaluated by the sandbox's KQL evaluator", () => {
  const now = new Date("2026-12-04T14:30:00.000Z");
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
  const dev = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Insights/components/APPI-DEV";
  const prod = "/subscriptions/S/resourceGroups/rg/providers/Microsoft.Insights/components/APPI-PROD";
  let next = 0;
  const dependency = (row: Record<string, unknown>): Record<string, unknown> => ({
    TimeGenerated: at(5),
    _ResourceId: dev,
    Id: `d${++next}`,
    OperationId: `o${next}`,
    AppRoleName: "web",
    DependencyType: "Http",
    Target: "10.0.0.7",
    Success: true,
    ResultCode: "200",
    ItemCount: 1,
    DurationMs: 10,
    ...row,
  });
  const deps = [
    // web → api (answered by api's requests): GET /orders 10 calls, 4 failed (3 × 503, 1 × 500); POST /orders 5 calls, 1 failed (500).
    dependency({ Name: "GET /orders", ItemCount: 6, DurationMs: 20 }),
    dependency({ Name: "GET /orders", ItemCount: 3, Success: false, ResultCode: "503", DurationMs: 900 }),
    dependency({ Name: "GET /orders", ItemCount: 1, Success: false, ResultCode: "500", DurationMs: 50 }),
    dependency({ Name: "POST /orders", ItemCount: 4, ResultCode: "201", DurationMs: 30 }),
    dependency({ Name: "POST /orders", ItemCount: 1, Success: false, ResultCode: "500", DurationMs: 40 }),
    // The same role from another environment's component: not this edge's.
    dependency({ Name: "GET /orders", ItemCount: 50, Success: false, ResultCode: "503", _ResourceId: prod }),
    // Older than the window.
    dependency({ Name: "DELETE /orders", ItemCount: 50, Success: false, TimeGenerated: at(120) }),
    // web → SQL (no request answers it), classic suffix stripped; and another SQL target.
    dependency({ Name: "SELECT orders", DependencyType: "SQL", Target: "sqlsrv | cid-v1:x", ResultCode: "0", ItemCount: 8 }),
    dependency({ Name: "UPDATE orders", DependencyType: "SQL", Target: "sqlsrv", ResultCode: "1205", Success: false, ItemCount: 2 }),
    dependency({ Name: "SELECT users", DependencyType: "SQL", Target: "other-sql", ResultCode: "-2", Success: false, ItemCount: 7 }),
    // Someone else's calls.
    dependency({ Name: "GET /orders", AppRoleName: "batch", ItemCount: 9, Success: false, ResultCode: "503" }),
  ];
  const answered = new Set(["GET /orders", "POST /orders"]);
  const rows: Record<string, Record<string, unknown>[]> = {
    AppDependencies: deps,
    AppRequests: deps
      .filter((row) => answered.has(row.Name as string))
      .map((row) => ({ TimeGenerated: at(5), _ResourceId: dev, AppRoleName: "api", Id: `r-${row.Id}`, ParentId: row.Id, OperationId: row.OperationId })),
    AppAvailabilityResults: [],
    AppExceptions: [],
  };
  const source = { rows: (table: string) => rows[table] ?? [] };
  const run = (callee: EdgeCallee) =>
    mapEdgeOperationsResult(
      runKql(edgeOperationsQuery({ window: "1h", callerRoles: ["web"], callerComponentIds: [dev.toLowerCase()], callee }).text, source as never, {
        now,
        range: { start: at(65), end: now },
      }),
    );

  it("a component edge: its operations by failures, weighted by ItemCount, with the most frequent failing result code", () => {
    const result = run({ kind: "component", roles: ["api"] });
    expect(result.operations).toEqual([
      { operation: "GET /orders", calls: 10, failedCalls: 4, failedPct: 40, p95Ms: 900, topFailingResultCode: "503" },
      { operation: "POST /orders", calls: 5, failedCalls: 1, failedPct: 20, p95Ms: 40, topFailingResultCode: "500" },
    ]);
    expect(result.resultCodes).toEqual([
      { resultCode: "200", calls: 6, failedCalls: 0, failedPct: 0 },
      { resultCode: "201", calls: 4, failedCalls: 0, failedPct: 0 },
      { resultCode: "503", calls: 3, failedCalls: 3, failedPct: 100 },
      { resultCode: "500", calls: 2, failedCalls: 2, failedPct: 100 },
    ]);
  });

  it("an external edge: one type and target, the cid-v1 suffix stripped; a grouped edge: the type's other targets", () => {
    const sql = run({ kind: "external", dependencyType: "SQL", target: "sqlsrv" });
    expect(sql.operations).toEqual([
      { operation: "UPDATE orders", calls: 2, failedCalls: 2, failedPct: 100, p95Ms: 10, topFailingResultCode: "1205" },
      { operation: "SELECT orders", calls: 8, failedCalls: 0, failedPct: 0, p95Ms: 10, topFailingResultCode: null },
    ]);
    const rest = run({ kind: "external-group", dependencyType: "SQL", excludedTargets: ["sqlsrv"] });
    expect(rest.operations.map((row) => [row.operation, row.calls, row.failedCalls, row.topFailingResultCode])).toEqual([["SELECT users", 7, 7, "-2"]]);
    expect(run({ kind: "external", dependencyType: "SQL", target: "nobody" })).toEqual({ operations: [], resultCodes: [] });
  });
});
