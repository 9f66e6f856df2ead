// What the evaluator does to go faster must not change an answer: reading a
// source column by column, asking it only for the time a leading
// `where TimeGenerated …` allows, and evaluating a row-by-row `let` again at
// each use. Each query here runs over the same rows twice, through a source
// that only has `rows` and through one that also has `columns` (in small
// batches, honouring the range it is asked for), and both answers must be
// the same table; the ranges the second was asked for show what was pushed down.
import { describe, expect, it } from "vitest";
import type { AppInsightsTableName } from "../app-insights-schema";
import { kqlSourceColumns, runKql } from "./evaluate";
import { healthQuery } from "@/lib/health/queries";
import { fixtureTables, fixtures, lastHour, now, sourceOf } from "./test-fixtures";
import type { KqlColumnBatch, KqlQueryOptions, KqlRow, KqlTableSource, KqlTimeRange } from "./types";

interface Asked {
  table: AppInsightsTableName;
  start: number;
  end: number;
  columns: readonly string[];
}

/** The fixtures as a columnar source: only rows inside the range asked for, three to a batch. */
function columnarFixtures(): { source: KqlTableSource; asked: Asked[] } {
  const asked: Asked[] = [];
  const inside = (table: AppInsightsTableName, range: KqlTimeRange): KqlRow[] =>
    (fixtureTables[table] ?? []).filter((row) => {
      const t = (row.TimeGenerated as Date).getTime();
      return t >= range.start.getTime() && t <= range.end.getTime();
    });
  return {
    asked,
    source: {
      rows: (table, range) => inside(table, range),
      *columns(table, range, columns): Iterable<KqlColumnBatch> {
        asked.push({ table, start: range.start.getTime(), end: range.end.getTime(), columns });
        const rows = inside(table, range);
        for (let i = 0; i < rows.length; i += 3) {
          const batch = rows.slice(i, i + 3);
          yield { length: batch.length, values: columns.map((name) => batch.map((row) => row[name])) };
        }
      },
    },
  };
}

const minute = 60_000;

function both(query: string, options: KqlQueryOptions = lastHour) {
  const plain = runKql(query, fixtures, options);
  const columnar = columnarFixtures();
  const fast = runKql(query, columnar.source, options);
  return { plain, fast, asked: columnar.asked };
}

describe("reading a source column by column", () => {
  const queries = [
    "AppRequests | project TimeGenerated, AppRoleName, Success, DurationMs, ItemCount",
    "AppRequests | summarize Requests = sum(ItemCount), Failed = sumif(ItemCount, Success == false), P95 = percentilew(DurationMs, ItemCount, 95) by AppRoleName",
    "AppRequests | summarize count() by AppRoleName, Minute = bin(TimeGenerated, 1m) | order by AppRoleName asc, Minute asc",
    'AppDependencies | where DependencyType != "InProc" | join kind=leftouter (AppRequests | distinct OperationId, ParentId, CalleeRole = AppRoleName) on OperationId, $left.Id == $right.ParentId',
    "union AppRequests, AppExceptions | summarize sum(ItemCount) by Type = iff(isempty(ExceptionType), 'request', 'exception')",
    "AppRequests | where AppRoleName in ('web') | take 100",
  ];
  it.each(queries)("gives the same table as rows: %s", (query) => {
    const { plain, fast } = both(query);
    expect(fast).toEqual(plain);
    expect(plain[0]!.rows.length).toBeGreaterThan(0);
  });

  it("asks only for the columns the query reads, TimeGenerated always", () => {
    const { asked } = both("AppRequests | summarize sum(ItemCount) by AppRoleName");
    expect(asked).toEqual([expect.objectContaining({ table: "AppRequests", columns: ["TimeGenerated", "AppRoleName", "ItemCount"] })]);
    expect(kqlSourceColumns("AppRequests | summarize sum(ItemCount) by AppRoleName").get("AppRequests")).toEqual(["TimeGenerated", "AppRoleName", "ItemCount"]);
  });
});

describe("a leading where on TimeGenerated, pushed down to the source", () => {
  const start = lastHour.range.start.getTime();
  const end = now.getTime();
  const cases: [string, string, number, number][] = [
    ["> ago()", "AppRequests | where TimeGenerated > ago(30m) | summarize sum(ItemCount) by AppRoleName", end - 30 * minute, end],
    ["a let, written the other way round", "let since = ago(20m); AppRequests | where since <= TimeGenerated | count", end - 20 * minute, end],
    [
      "both ends, in a conjunction with another condition",
      "AppRequests | where TimeGenerated >= ago(50m) and Success == true and TimeGenerated < ago(45m) | project AppRoleName, DurationMs",
      end - 50 * minute,
      end - 45 * minute,
    ],
    [
      "between",
      "AppRequests | where TimeGenerated between (datetime(2026-01-01T11:10:00Z) .. datetime(2026-01-01T11:11:00Z)) | project AppRoleName, ItemCount",
      Date.parse("2026-01-01T11:10:00Z"),
      Date.parse("2026-01-01T11:11:00Z"),
    ],
    ["a bound before the query's range", "AppRequests | where TimeGenerated > ago(2h) | count", start, end],
  ];
  it.each(cases)("%s: same answer, narrower range asked", (_, query, from, to) => {
    const { plain, fast, asked } = both(query);
    expect(fast).toEqual(plain);
    expect(asked.map((a) => [a.start, a.end])).toEqual([[from, to]]);
  });

  it("does not narrow a filter that cannot be pushed down, and still answers it right", () => {
    const notPushed = [
      // An or: a failed request of any time in the range passes.
      "AppRequests | where TimeGenerated > ago(5m) or Success == false | summarize Failed = sum(ItemCount)",
      // A column on the other side.
      "AppRequests | where TimeGenerated > TimeGenerated - 1h | count",
      // Not directly on the table: an extend first.
      "AppRequests | extend T = TimeGenerated | where T > ago(5m) | count",
      // A negated between.
      "AppRequests | where TimeGenerated !between (ago(50m) .. ago(10m)) | count",
    ];
    for (const query of notPushed) {
      const { plain, fast, asked } = both(query);
      expect(fast, query).toEqual(plain);
      expect(
        asked.map((a) => [a.start, a.end]),
        query,
      ).toEqual([[start, end]]);
    }
    // The or's answer is every failed request of the last hour, whatever its time.
    const failedInRange = fixtureTables.AppRequests.filter((r) => r.Success === false && (r.TimeGenerated as Date).getTime() >= start).reduce(
      (sum, r) => sum + (r.ItemCount as number),
      0,
    );
    expect(failedInRange).toBeGreaterThan(0);
    expect(both(notPushed[0]!).fast[0]!.rows).toEqual([[failedInRange]]);
  });

  it("a row-by-row let read twice answers as the same query written out twice", () => {
    const req = "AppRequests | where TimeGenerated >= ago(55m) | where AppRoleName in ('web', 'api') | extend Slow = DurationMs > 150";
    const rest = [
      "let perRole = req | summarize Requests = sum(ItemCount), Slow = countif(Slow) by AppRoleName;",
      "let perMinute = req | summarize Requests = sum(ItemCount), Slow = countif(Slow) by AppRoleName, Minute = bin(TimeGenerated, 1m);",
      "union perRole, perMinute | order by AppRoleName asc, Minute asc",
    ].join("\n");
    const withLet = `let req = ${req};\n${rest}`;
    const writtenOut = rest.replaceAll("req |", `(${req}) |`);
    const { plain, fast, asked } = both(withLet);
    expect(fast).toEqual(plain);
    expect(plain).toEqual(runKql(writtenOut, fixtures, lastHour));
    expect(plain[0]!.rows.length).toBeGreaterThan(2);
    // Read once per use, each time over the pushed-down range.
    expect(asked.map((a) => a.start)).toEqual([now.getTime() - 55 * minute, now.getTime() - 55 * minute]);
  });
});

describe("summarize fed one reused row (Table.each) against the general path", () => {
  // Enough rows that a role's window holds more than the 64 values sorted in place, a minute a handful, with ties.
  const roles = ["web", "api", 'we"ird|role'];
  const requests: KqlRow[] = [];
  for (let i = 0; i < 600; i++) {
    requests.push({
      TimeGenerated: new Date(now.getTime() - 59 * minute + i * 5_900),
      AppRoleName: roles[i % 3],
      _ResourceId: `/subscriptions/s/resourcegroups/g/providers/microsoft.insights/components/${i % 2 ? "dev" : "prod"}`,
      Name: `GET /${i % 4}`,
      OperationId: `o${i}`,
      Success: i % 7 !== 0,
      DurationMs: [12.5, 40, 40, 300, 1_250, 7][i % 6]! + (i % 11),
      ItemCount: 1 + (i % 5),
    });
  }
  const availability: KqlRow[] = roles.flatMap((role, r) =>
    Array.from({ length: 12 }, (_, i) => ({
      TimeGenerated: new Date(now.getTime() - (i * 5 + r) * minute),
      AppRoleName: "",
      Name: role,
      Success: (i + r) % 4 !== 0,
      DurationMs: 100 + i,
      ItemCount: 1,
    })),
  );
  const tables = { AppRequests: requests, AppAvailabilityResults: availability };
  const plain = sourceOf(tables);
  const columnar: KqlTableSource = {
    rows: plain.rows,
    *columns(table, range, columns) {
      const rows = [...plain.rows(table, range)];
      for (let i = 0; i < rows.length; i += 50) {
        const batch = rows.slice(i, i + 50);
        yield { length: batch.length, values: columns.map((name) => batch.map((row) => row[name])) };
      }
    },
  };
  const queries = [
    healthQuery({ roles, windowMinutes: 60 }).text,
    healthQuery({ roles: ["api"], windowMinutes: 20 }).text,
    "AppRequests | summarize P = percentiles(DurationMs, 5, 50, 95, 100), W = percentilesw(DurationMs, ItemCount, 1, 50, 99) by AppRoleName",
    "AppRequests | where Success | where DurationMs > 20 | summarize dcount(Name), make_set(Name), make_list(DurationMs, 5), avg(DurationMs) by AppRoleName",
    // Aggregates that keep a row: read from fresh rows, not the reused one.
    "AppRequests | summarize arg_max(DurationMs, Name, OperationId), arg_min(TimeGenerated, *) by AppRoleName",
    "AppRequests | where ItemCount > 2 | summarize any(OperationId, Name), count() by AppRoleName, bin(TimeGenerated, 10m)",
    "AppRequests | summarize Slowest = arg_max(DurationMs, OperationId), Requests = sum(ItemCount), P = percentile(DurationMs, 90) by Minute = bin(TimeGenerated, 1m)",
  ];
  it.each(queries)("gives the same tables: %s", (query) => {
    const general = runKql(query, plain, lastHour);
    const fast = runKql(query, columnar, lastHour);
    expect(fast).toEqual(general);
    expect(general[0]!.rows.length).toBeGreaterThan(0);
  });

  it("the reused row is not what arg_max keeps: each group's own row", () => {
    const [table] = runKql("AppRequests | summarize arg_max(DurationMs, OperationId) by AppRoleName | order by AppRoleName asc", columnar, lastHour);
    const expected = roles
      .map((role) => {
        const mine = requests.filter((r) => r.AppRoleName === role);
        const best = mine.reduce((a, b) => ((b.DurationMs as number) > (a.DurationMs as number) ? b : a));
        return [role, best.DurationMs, best.OperationId];
      })
      .sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1));
    expect(table!.rows).toEqual(expected);
  });
});
