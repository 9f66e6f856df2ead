import { describe, expect, it } from "vitest";
import { runKql } from "./evaluate";
import { fixtures, lastHour, now, rowsOf, run, sourceOf } from "./test-fixtures";
import { KqlError } from "./types";

function refusal(query: string): KqlError {
  try {
    runKql(query, fixtures, lastHour);
  } catch (error) {
    if (error instanceof KqlError) return error;
    throw error;
  }
  throw new Error(`expected ${query} to be refused`);
}

describe("runKql: errors", () => {
  it("answers an unknown table with the parser's message as a SemanticError", () => {
    const error = refusal("AppRequest | take 1");
    expect(error.code).toBe("SemanticError");
    expect(error.message).toBe("The name 'AppRequest' does not refer to any known table, tabular variable or function.");
  });

  it("answers an unknown column with the parser's message as a SemanticError", () => {
    const error = refusal("AppRequests | where Target == 'x'");
    expect(error.code).toBe("SemanticError");
    expect(error.message).toBe("The name 'Target' does not refer to any known column, table, variable or function.");
  });

  it("answers broken syntax as a SyntaxError", () => {
    const error = refusal("AppRequests | summarize count( by AppRoleName");
    expect(error.code).toBe("SyntaxError");
    expect(error.message).not.toBe("");
  });

  it.each([
    ["AppRequests | mv-expand Properties", "The operator 'mv-expand' is not supported by the Wharf sandbox"],
    ['AppRequests | parse Url with "https://" Host "/" *', "The operator 'parse' is not supported by the Wharf sandbox"],
    ["AppRequests | make-series count() on TimeGenerated step 1m", "The operator 'make-series' is not supported by the Wharf sandbox"],
    ["AppRequests | summarize count() by bin(TimeGenerated, 5m) | render timechart", "The operator 'render' is not supported by the Wharf sandbox"],
    ["AppRequests | evaluate bag_unpack(Properties)", "The operator 'evaluate' is not supported by the Wharf sandbox"],
    ['AppRequests | extend Host = extract("https://([^/]+)", 1, Url)', "The function 'extract()' is not supported by the Wharf sandbox"],
    ["AppRequests | join kind=fullouter AppExceptions on AppRoleName", "The join kind 'fullouter' is not supported by the Wharf sandbox"],
    ["AppRequests | serialize | take 1", "The operator 'serialize' is not supported by the Wharf sandbox"],
    ["let f = (x: long) { x + 1 }; AppRequests | take 1", "The user-defined function 'f' is not supported by the Wharf sandbox"],
    ['AppRequests | where AppRoleName has_any ("a", "b")', "The operator 'has_any' is not supported by the Wharf sandbox"],
    ["AppRequests | summarize stdev(DurationMs)", "The function 'stdev()' is not supported by the Wharf sandbox"],
    [
      "AppRequests | where AppRoleName in (AppExceptions | project AppRoleName)",
      "'in' with a non-constant list ('AppExceptions | project AppRoleName') is not supported by the Wharf sandbox",
    ],
    ["union withsource=T AppRequests, AppExceptions", "The parameter 'withsource' of 'union' is not supported by the Wharf sandbox"],
    ["print 1", "The operator 'print' is not supported by the Wharf sandbox"],
  ])("refuses %s, naming what it does not evaluate", (query, message) => {
    const error = refusal(query);
    expect(error.code).toBe("UnsupportedOperator");
    expect(error.message).toBe(message);
  });
});

describe("runKql: time range", () => {
  it("hides rows outside the request's range, as Log Analytics does", () => {
    expect(rowsOf("AppRequests | where Id == 'r5' | count")).toEqual([[0]]);
    expect(rowsOf("AppRequests | count")).toEqual([[5]]);
    const day = { now, range: { start: new Date("2026-01-01T00:00:00Z"), end: now } };
    expect(rowsOf("AppRequests | where Id == 'r5' | project Id, DurationMs", fixtures, day)).toEqual([["r5", 999]]);
  });

  it("makes now() and ago() relative to the request's now", () => {
    expect(rowsOf("AppRequests | take 1 | project now(), ago(1h), ago(30d)")).toEqual([
      ["2026-01-01T12:00:00Z", "2026-01-01T11:00:00Z", "2025-12-02T12:00:00Z"],
    ]);
  });
});

describe("runKql: tabular operators", () => {
  it("where, project, take, count", () => {
    expect(rowsOf("AppRequests | where AppRoleName == 'api' and DurationMs > 60 | project Id, DurationMs")).toEqual([["r4", 70]]);
    expect(rowsOf("AppRequests | take 2 | count")).toEqual([[2]]);
    expect(rowsOf("AppRequests | limit 1 | project Id")).toEqual([["r1"]]);
    expect(run("AppRequests | count").columns).toEqual([{ name: "Count", type: "long" }]);
  });

  it("project with computed and renamed columns, project-away, project-rename", () => {
    const projected = run("AppRequests | where Id == 'r1' | project Id, Slow = DurationMs > 50, DurationMs * 2");
    expect(projected.columns).toEqual([
      { name: "Id", type: "string" },
      { name: "Slow", type: "bool" },
      { name: "Column1", type: "real" },
    ]);
    expect(projected.rows).toEqual([["r1", true, 200]]);
    const away = run("AppRequests | where Id == 'r1' | project Id, Name, Success | project-away Name");
    expect(away.columns.map((c) => c.name)).toEqual(["Id", "Success"]);
    expect(away.rows).toEqual([["r1", true]]);
    const renamed = run("AppRequests | where Id == 'r1' | project Id, Name | project-rename RequestName = Name");
    expect(renamed.columns.map((c) => c.name)).toEqual(["Id", "RequestName"]);
    expect(renamed.rows).toEqual([["r1", "GET /"]]);
  });

  it("extend adds columns and replaces one of the same name in place; every expression sees the input row", () => {
    const result = run(
      "AppRequests | where Id == 'r1' | project Id, DurationMs | extend DurationMs = DurationMs + 1, Seconds = DurationMs / 1000, DurationMs * 2, toupper(Id)",
    );
    expect(result.columns).toEqual([
      { name: "Id", type: "string" },
      { name: "DurationMs", type: "real" },
      { name: "Seconds", type: "real" },
      { name: "Column1", type: "real" },
      { name: "Column2", type: "string" },
    ]);
    expect(result.rows).toEqual([["r1", 101, 0.1, 200, "R1"]]);
    // tostring(Id) keeps the name Id (the parser's naming), so it replaces Id in place.
    expect(rowsOf("AppRequests | where Id == 'r1' | project Id, ItemCount | extend tostring(ItemCount)")).toEqual([["r1", "2"]]);
  });

  it("summarize: each aggregate with KQL's default column names and types", () => {
    // In the hour: r1 100 ms ×2 w1, r2 300 ms ×1 w2 failed, r3 50 ms ×1 a1, r4 70 ms ×3 a1, r6 20 ms ×1 w.
    const result = run(`AppRequests | summarize count(), countif(Success), sum(ItemCount), sumif(ItemCount, Success), avg(DurationMs),
      avgif(DurationMs, Success), min(DurationMs), max(DurationMs), dcount(AppRoleInstance), percentile(DurationMs, 50),
      percentiles(DurationMs, 25, 95), percentilew(DurationMs, ItemCount, 50), min(TimeGenerated), max(Id)`);
    expect(result.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      "count_:long",
      "countif_Success:long",
      "sum_ItemCount:long",
      "sumif_ItemCount:long",
      "avg_DurationMs:real",
      "avgif_DurationMs:real",
      "min_DurationMs:real",
      "max_DurationMs:real",
      "dcount_AppRoleInstance:long",
      "percentile_DurationMs_50:real",
      "percentile_DurationMs_25:real",
      "percentile_DurationMs_95:real",
      // The parser names the weighted one like the plain one and de-duplicates it.
      "percentile_DurationMs_501:real",
      "min_TimeGenerated:datetime",
      "max_Id:string",
    ]);
    // Sorted durations 20, 50, 70, 100, 300 (nearest rank: 50th → 3rd, 25th → 2nd, 95th → 5th);
    // weighted 20×1, 50×1, 70×3, 100×2, 300×1: half of 8 is reached at 70.
    expect(result.rows).toEqual([[5, 4, 8, 7, 108, 60, 20, 300, 4, 70, 50, 300, 70, "2026-01-01T11:10:30Z", "r6"]]);
  });

  it("summarize by bin(TimeGenerated, 10m), and by several keys", () => {
    expect(rowsOf("AppRequests | summarize count() by bin(TimeGenerated, 10m) | order by TimeGenerated asc")).toEqual([
      ["2026-01-01T11:10:00Z", 2],
      ["2026-01-01T11:20:00Z", 1],
      ["2026-01-01T11:50:00Z", 2],
    ]);
    expect(rowsOf("AppRequests | summarize n = count() by AppRoleName, Success | order by AppRoleName asc, Success asc")).toEqual([
      ["api", true, 2],
      ["web", false, 1],
      ["web", true, 1],
      ["worker", true, 1],
    ]);
  });

  it("summarize arg_max / arg_min with columns and with *, make_set", () => {
    const latest = run("AppRequests | summarize arg_max(TimeGenerated, Id, DurationMs) by AppRoleName | order by AppRoleName asc");
    expect(latest.columns.map((c) => `${c.name}:${c.type}`)).toEqual(["AppRoleName:string", "TimeGenerated:datetime", "Id:string", "DurationMs:real"]);
    expect(latest.rows).toEqual([
      ["api", "2026-01-01T11:50:00Z", "r4", 70],
      ["web", "2026-01-01T11:10:45Z", "r2", 300],
      ["worker", "2026-01-01T11:55:00Z", "r6", 20],
    ]);
    const fastest = run("AppRequests | summarize arg_min(DurationMs, *) by AppRoleName | where AppRoleName == 'web'");
    const column = (name: string) => fastest.rows[0]![fastest.columns.findIndex((c) => c.name === name)];
    expect(fastest.columns[1]).toEqual({ name: "DurationMs", type: "real" });
    expect(column("DurationMs")).toBe(100);
    expect(column("Id")).toBe("r1");
    expect(column("AppRoleInstance")).toBe("w1");
    const sets = run("AppRequests | summarize make_set(AppRoleInstance) by AppRoleName | where AppRoleName == 'web'");
    expect(sets.columns[1]).toEqual({ name: "set_AppRoleInstance", type: "dynamic" });
    expect(sets.rows).toEqual([["web", ["w1", "w2"]]]);
  });

  it("summarize without by on no rows gives one row of defaults; with by, no rows", () => {
    expect(rowsOf("AppRequests | where Id == 'none' | summarize count(), sum(ItemCount), avg(DurationMs), make_set(Id), dcount(Id)")).toEqual([
      [0, 0, null, [], 0],
    ]);
    expect(rowsOf("AppRequests | where Id == 'none' | summarize count() by AppRoleName")).toEqual([]);
  });

  it("order by / sort by: descending by default, asc on request, several keys", () => {
    expect(rowsOf("AppRequests | order by DurationMs | project Id")).toEqual([["r2"], ["r1"], ["r4"], ["r3"], ["r6"]]);
    expect(rowsOf("AppRequests | sort by DurationMs asc | project Id")).toEqual([["r6"], ["r3"], ["r4"], ["r1"], ["r2"]]);
    expect(rowsOf("AppRequests | sort by AppRoleName asc, DurationMs desc | project Id")).toEqual([["r4"], ["r3"], ["r2"], ["r1"], ["r6"]]);
  });

  it("top N by, distinct", () => {
    expect(rowsOf("AppRequests | top 2 by DurationMs | project Id")).toEqual([["r2"], ["r1"]]);
    expect(rowsOf("AppRequests | top 1 by DurationMs asc | project Id")).toEqual([["r6"]]);
    expect(rowsOf("AppRequests | distinct AppRoleName | order by AppRoleName asc")).toEqual([["api"], ["web"], ["worker"]]);
    expect(rowsOf("AppRequests | distinct AppRoleName, Success | count")).toEqual([[4]]);
  });

  it("let: scalars, timespans and tabular lets used twice", () => {
    expect(
      rowsOf(`let slow = 60.0; let window = 30m; let recent = AppRequests | where TimeGenerated > ago(window);
        recent | where DurationMs > slow | project Id`),
    ).toEqual([["r4"]]);
    expect(rowsOf("let web = AppRequests | where AppRoleName == 'web'; web | join kind=inner web on Id | count")).toEqual([[2]]);
  });

  it("join kinds: innerunique by default, inner, leftouter, and $left.X == $right.Y keys", () => {
    const exceptions = "(AppExceptions | project AppRoleName, Exceptions = ItemCount)";
    // web has two requests (r1, r2) and two exceptions in the hour; api and worker have none.
    expect(rowsOf(`AppRequests | project AppRoleName, Id | join ${exceptions} on AppRoleName | project Id, Exceptions`)).toEqual([
      ["r1", 3],
      ["r1", 1],
    ]);
    expect(rowsOf(`AppRequests | project AppRoleName, Id | join kind=inner ${exceptions} on AppRoleName | count`)).toEqual([[4]]);
    const outer = run(`AppRequests | project AppRoleName, Id | join kind=leftouter ${exceptions} on AppRoleName | order by Id asc`);
    expect(outer.columns.map((c) => c.name)).toEqual(["AppRoleName", "Id", "AppRoleName1", "Exceptions"]);
    expect(outer.rows).toEqual([
      ["web", "r1", "web", 3],
      ["web", "r1", "web", 1],
      ["web", "r2", "web", 3],
      ["web", "r2", "web", 1],
      ["api", "r3", "", null],
      ["api", "r4", "", null],
      ["worker", "r6", "", null],
    ]);
    expect(
      rowsOf(`AppDependencies | project DepId = Id, OperationId | join kind=inner (AppRequests | project ParentId, OperationId, Callee = AppRoleName)
        on OperationId, $left.DepId == $right.ParentId | project DepId, Callee | order by DepId asc`),
    ).toEqual([
      ["d2", "api"],
      ["d3", "api"],
    ]);
  });

  it("union of tables, leading and piped, with columns matched by name", () => {
    expect(rowsOf("union AppRequests, AppExceptions | count")).toEqual([[7]]);
    const piped = run("AppRequests | project AppRoleName, Id | union (AppExceptions | project AppRoleName, ExceptionType) | order by AppRoleName asc, Id asc");
    expect(piped.columns.map((c) => c.name)).toEqual(["AppRoleName", "Id", "ExceptionType"]);
    expect(piped.rows.filter((row) => row[0] === "web")).toEqual([
      ["web", "", "System.Exception"],
      ["web", "", "System.TimeoutException"],
      ["web", "r1", ""],
      ["web", "r2", ""],
    ]);
  });
});

describe("runKql: values Wharf passes into queries", () => {
  const tricky = sourceOf({
    AppRequests: [
      { TimeGenerated: new Date("2026-01-01T11:30:00Z"), AppRoleName: 'we"b | take 1\n', Id: "q1", ItemCount: 1 },
      { TimeGenerated: new Date("2026-01-01T11:31:00Z"), AppRoleName: "api's", Id: "q2", ItemCount: 1 },
      { TimeGenerated: new Date("2026-01-01T11:32:00Z"), AppRoleName: "other", Id: "q3", ItemCount: 1 },
    ],
  });

  it("matches escaped string literals exactly, quotes, pipes and newlines included", () => {
    expect(rowsOf(`AppRequests | where AppRoleName == "we\\"b | take 1\\n" | project Id`, tricky)).toEqual([["q1"]]);
    expect(rowsOf(`AppRequests | where AppRoleName == 'api\\'s' | project Id`, tricky)).toEqual([["q2"]]);
  });

  it("filters by a dynamic list, inline or from a let", () => {
    expect(rowsOf(`AppRequests | where AppRoleName in (dynamic(["api's", "other"])) | order by Id asc | project Id`, tricky)).toEqual([["q2"], ["q3"]]);
    expect(rowsOf(`let roles = dynamic(["other"]); AppRequests | where AppRoleName in (roles) | project Id`, tricky)).toEqual([["q3"]]);
  });

  it("any() takes its values from one row of the group", () => {
    const result = run("AppRequests | summarize any(Id, AppRoleInstance) by AppRoleName | where AppRoleName == 'api'");
    expect(result.columns.map((c) => c.name)).toEqual(["AppRoleName", "any_Id", "any_AppRoleInstance"]);
    expect(["r3", "r4"]).toContain(result.rows[0]![1]);
    expect(result.rows[0]![2]).toBe("a1");
  });

  it("answers one table per tabular statement", () => {
    const tables = runKql("AppRequests | count; AppExceptions | count", fixtures, lastHour);
    expect(tables.map((t) => [t.name, t.rows])).toEqual([
      ["PrimaryResult", [[5]]],
      ["Table_1", [[2]]],
    ]);
  });
});

describe("runKql: whole tables in the output", () => {
  it.each([
    "AppRequests | take 2",
    "AppRequests | where Id == 'r1' | join kind=inner AppExceptions on AppRoleName",
    "AppExceptions | join kind=leftouter (AppRequests | where Id == 'r3') on AppRoleName | project ExceptionType, Id, AppRoleName1",
    "union AppRequests, AppExceptions | take 3",
    "AppRequests | extend Slow = DurationMs > 90 | project-away Url | take 1",
    "AppRequests | project-rename Role = AppRoleName | take 1",
    "AppRequests | summarize arg_max(TimeGenerated, *) by AppRoleName",
  ])("%s answers with the parser's columns", (query) => {
    // runKql itself throws when its columns differ from the parser's; this checks the values came along too.
    const result = run(query);
    expect(result.rows.length).toBeGreaterThan(0);
    expect(result.rows.every((row) => row.length === result.columns.length)).toBe(true);
  });

  it("carries columns the query never names to the output", () => {
    const result = run("AppRequests | where Id == 'r1' | join kind=inner AppExceptions on AppRoleName | take 1");
    const value = (name: string) => result.rows[0]![result.columns.findIndex((c) => c.name === name)];
    expect(value("Url")).toBe("https://web/items?id=1");
    expect(value("TimeGenerated1")).toBe("2026-01-01T11:30:00Z");
    expect(value("ExceptionType")).toBe("System.Exception");
    expect(value("ItemCount1")).toBe(3);
  });
});

describe("runKql: null semantics", () => {
  const withNulls = sourceOf({
    AppRequests: [
      { TimeGenerated: new Date("2026-01-01T11:30:00Z"), Id: "a", DurationMs: 10, ItemCount: 1 },
      { TimeGenerated: new Date("2026-01-01T11:31:00Z"), Id: "b", DurationMs: null, ItemCount: null },
      { TimeGenerated: new Date("2026-01-01T11:32:00Z"), Id: "c", DurationMs: 30, ItemCount: 2 },
    ],
  });

  it("null in arithmetic and comparison is null; where keeps only true", () => {
    expect(rowsOf("AppRequests | project Id, x = DurationMs + 1, y = DurationMs > 5 | order by Id asc", withNulls)).toEqual([
      ["a", 11, true],
      ["b", null, null],
      ["c", 31, true],
    ]);
    expect(rowsOf("AppRequests | where DurationMs > 5 or ItemCount > 0 | count", withNulls)).toEqual([[2]]);
  });

  it("aggregates skip nulls", () => {
    expect(rowsOf("AppRequests | summarize count(), sum(ItemCount), avg(DurationMs), min(DurationMs), dcount(DurationMs)", withNulls)).toEqual([
      [3, 3, 20, 10, 2],
    ]);
  });

  it("nulls sort first ascending and last descending, unless told", () => {
    expect(rowsOf("AppRequests | order by DurationMs asc | project Id", withNulls)).toEqual([["b"], ["a"], ["c"]]);
    expect(rowsOf("AppRequests | order by DurationMs desc | project Id", withNulls)).toEqual([["c"], ["a"], ["b"]]);
    expect(rowsOf("AppRequests | order by DurationMs asc nulls last | project Id", withNulls)).toEqual([["a"], ["c"], ["b"]]);
  });

  it("a missing string is the empty string, never null", () => {
    expect(rowsOf("AppRequests | where Id == 'b' | project AppRoleName, isempty(AppRoleName), isnull(AppRoleName)", withNulls)).toEqual([["", true, false]]);
  });
});

describe("runKql: views and restrict (a middle tier's row-level security)", () => {
  const scoped = (query: string) =>
    `let AppRequests = view () { AppRequests | where AppRoleName in (dynamic(["web"])) };\nrestrict access to (AppRequests);\n${query}`;

  it("reads a table through a view of the same name: the name is the table inside the view, the view after it", () => {
    const all = rowsOf("AppRequests | summarize count() by AppRoleName | order by AppRoleName asc");
    expect(all.map((row) => row[0])).toEqual(["api", "web", "worker"]);
    expect(rowsOf(scoped('AppRequests | where AppRoleName != "" | summarize count() by AppRoleName'))).toEqual([["web", all[1]![1]]]);
  });

  it("refuses a let that declares the view's name again, with the parser's message", () => {
    const error = refusal(scoped("let AppRequests = AppRequests | where isnotempty(AppRoleName);\nAppRequests | distinct AppRoleName"));
    expect(error.code).toBe("SemanticError");
    expect(error.message).toBe("A variable with the name 'AppRequests' has already been declared.");
  });

  it("refuses a table the restrict statement does not list, even through a table the view does not shadow", () => {
    expect(refusal(scoped("AppDependencies | take 1")).message).toBe(
      "'AppDependencies' is not accessible: a restrict statement limits the query to AppRequests.",
    );
  });

  it("refuses a view with parameters as a user-defined function", () => {
    expect(refusal("let v = view (n: long) { AppRequests | take n }; v(1)").message).toBe(
      "The user-defined function 'v' is not supported by the Wharf sandbox",
    );
  });
});
