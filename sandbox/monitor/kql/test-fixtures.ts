// Small hand-made App Insights tables the evaluator's tests compute expected
// values from by hand. `now` is 12:00; the default range is the last hour, so
// the rows stamped before 11:00 are outside it.
import type { AppInsightsTableName } from "../app-insights-schema";
import { runKql } from "./evaluate";
import type { KqlQueryOptions, KqlResultTable, KqlRow, KqlTableSource } from "./types";

export const now = new Date("2026-01-01T12:00:00Z");
export const lastHour: KqlQueryOptions = { now, range: { start: new Date("2026-01-01T11:00:00Z"), end: now } };

const at = (time: string) => new Date(`2026-01-01T${time}Z`);

export const fixtureTables: Record<AppInsightsTableName, KqlRow[]> = {
  AppRequests: [
    {
      TimeGenerated: at("11:10:30"),
      AppRoleName: "web",
      AppRoleInstance: "w1",
      Name: "GET /",
      Url: "https://web/items?id=1",
      Success: true,
      ResultCode: "200",
      DurationMs: 100,
      ItemCount: 2,
      Id: "r1",
      ParentId: "d1",
      OperationId: "o1",
    },
    {
      TimeGenerated: at("11:10:45"),
      AppRoleName: "web",
      AppRoleInstance: "w2",
      Name: "GET /",
      Url: "https://web/",
      Success: false,
      ResultCode: "500",
      DurationMs: 300,
      ItemCount: 1,
      Id: "r2",
      ParentId: "",
      OperationId: "o2",
    },
    {
      TimeGenerated: at("11:20:00"),
      AppRoleName: "api",
      AppRoleInstance: "a1",
      Name: "GET /items",
      Success: true,
      ResultCode: "200",
      DurationMs: 50,
      ItemCount: 1,
      Id: "r3",
      ParentId: "d2",
      OperationId: "o1",
    },
    {
      TimeGenerated: at("11:50:00"),
      AppRoleName: "api",
      AppRoleInstance: "a1",
      Name: "GET /items",
      Success: true,
      ResultCode: "200",
      DurationMs: 70,
      ItemCount: 3,
      Id: "r4",
      ParentId: "d3",
      OperationId: "o3",
    },
    {
      TimeGenerated: at("09:00:00"),
      AppRoleName: "api",
      AppRoleInstance: "a9",
      Name: "GET /items",
      Success: false,
      ResultCode: "500",
      DurationMs: 999,
      ItemCount: 5,
      Id: "r5",
      ParentId: "",
      OperationId: "o9",
    },
    {
      TimeGenerated: at("11:55:00"),
      AppRoleName: "worker",
      AppRoleInstance: "w",
      Name: "job",
      Success: true,
      ResultCode: "0",
      DurationMs: 20,
      ItemCount: 1,
      Id: "r6",
      ParentId: "",
      OperationId: "o6",
    },
  ],
  AppDependencies: [
    {
      TimeGenerated: at("11:19:59"),
      AppRoleName: "web",
      Id: "d2",
      OperationId: "o1",
      DependencyType: "HTTP",
      Target: "api",
      Success: true,
      DurationMs: 60,
      ItemCount: 1,
    },
    {
      TimeGenerated: at("11:49:59"),
      AppRoleName: "web",
      Id: "d3",
      OperationId: "o3",
      DependencyType: "HTTP",
      Target: "api | cid-v1:abc",
      Success: false,
      DurationMs: 80,
      ItemCount: 2,
    },
    {
      TimeGenerated: at("11:30:00"),
      AppRoleName: "web",
      Id: "d4",
      OperationId: "o4",
      DependencyType: "SQL",
      Target: "sqlsrv",
      Success: true,
      DurationMs: 10,
      ItemCount: 4,
    },
    {
      TimeGenerated: at("11:40:00"),
      AppRoleName: "api",
      Id: "d5",
      OperationId: "o5",
      DependencyType: "Redis",
      Target: "cache | cid-v1:xyz",
      Success: false,
      DurationMs: 5,
      ItemCount: 1,
    },
    {
      TimeGenerated: at("11:41:00"),
      AppRoleName: "api",
      Id: "d6",
      OperationId: "o5",
      DependencyType: "InProc",
      Target: "local",
      Success: true,
      DurationMs: 1,
      ItemCount: 1,
    },
    {
      TimeGenerated: at("10:00:00"),
      AppRoleName: "web",
      Id: "d9",
      OperationId: "o9",
      DependencyType: "SQL",
      Target: "sqlsrv",
      Success: false,
      DurationMs: 1000,
      ItemCount: 9,
    },
  ],
  AppAvailabilityResults: [
    { TimeGenerated: at("11:05:00"), Name: "home", Location: "West Europe", Success: true, DurationMs: 200, ItemCount: 1 },
    { TimeGenerated: at("11:10:00"), Name: "home", Location: "West Europe", Success: false, DurationMs: 400, ItemCount: 1 },
    { TimeGenerated: at("11:15:00"), Name: "home", Location: "East US", Success: true, DurationMs: 100, ItemCount: 1 },
    { TimeGenerated: at("11:20:00"), Name: "home", Location: "East US", Success: true, DurationMs: 300, ItemCount: 1 },
    { TimeGenerated: at("10:00:00"), Name: "home", Location: "West Europe", Success: false, DurationMs: 900, ItemCount: 1 },
  ],
  AppExceptions: [
    { TimeGenerated: at("11:30:00"), AppRoleName: "web", ItemCount: 3, ExceptionType: "System.Exception" },
    { TimeGenerated: at("11:40:00"), AppRoleName: "web", ItemCount: 1, ExceptionType: "System.TimeoutException" },
    { TimeGenerated: at("10:30:00"), AppRoleName: "api", ItemCount: 7, ExceptionType: "System.Exception" },
  ],
};

export function sourceOf(tables: Partial<Record<AppInsightsTableName, KqlRow[]>>): KqlTableSource {
  return { rows: (table) => tables[table] ?? [] };
}

export const fixtures = sourceOf(fixtureTables);

/** The first result table of `query` over the fixtures. */
export function run(query: string, source: KqlTableSource = fixtures, options: KqlQueryOptions = lastHour): KqlResultTable {
  const [table] = runKql(query, source, options);
  if (!table) throw new Error("no result table");
  return table;
}

export function rowsOf(query: string, source?: KqlTableSource, options?: KqlQueryOptions): unknown[][] {
  return run(query, source, options).rows;
}
