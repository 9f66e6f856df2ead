// Microsoft's parser on a KQL tile's query: what is refused when a board is saved, with the parser's message, and how the row cap is appended.
import { afterAll, describe, expect, it } from "vitest";
import { appInsightsTables } from "@/sandbox/monitor/app-insights-schema";
import { cappedKqlQuery, checkKqlQuery, kqlThreadRunning, stopKqlThread } from "./kql-query";
import { teamKqlTables } from "./kql-team-scope";

afterAll(() => stopKqlThread());

describe("checkKqlQuery", () => {
  it.each([
    "AppRequests | summarize count() by bin(TimeGenerated, 5m)",
    "let failed = AppRequests | where Success == false;\nfailed | summarize count() by bin(TimeGenerated, 1h)",
    "// requests per role\nAppRequests\n| summarize requests = count() by AppRoleName\n| top 10 by requests",
    // Syntax only: a table this workspace may lack is Log Analytics' to report at run time.
    "NoSuchTable | take 5",
  ])("accepts %j", async (query) => {
    expect((await checkKqlQuery(query)).ok).toBe(true);
  });

  it.each([
    ["AppRequests | where", "The KQL query does not parse: Missing expression (at line 1, column 20)"],
    ["AppRequests\n| summarize count( by AppRoleName", "The KQL query does not parse: Expected: ) (at line 2, column"],
    ["AppRequests | nosuchoperator", "The KQL query does not parse: Query operator expected."],
    ["AppRequests | take 1; AppDependencies | take 1", "The query has 2 tabular expressions"],
    ["let x = 1;", "no tabular expression"],
    ["AppRequests | summarize count() by bin(TimeGenerated, 5m) | render timechart", "Leave out render"],
  ])("refuses %j with %j", async (query, message) => {
    const check = await checkKqlQuery(query);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toContain(message);
  });
});

describe("cappedKqlQuery", () => {
  it("appends the row cap to the tabular expression, after a trailing comment or semicolon", async () => {
    expect(await cappedKqlQuery("AppRequests | take 5000", 500)).toBe("AppRequests | take 5000\n| take 501");
    expect(await cappedKqlQuery("let a = 1;\nAppRequests | project a; // the end", 10)).toBe("let a = 1;\nAppRequests | project a\n| take 11");
    expect((await checkKqlQuery(await cappedKqlQuery("AppRequests | summarize count() by AppRoleName // per role", 500))).ok).toBe(true);
  });

  it("refuses a query the parser refuses, with the parser's message", async () => {
    await expect(cappedKqlQuery("AppRequests | where", 500)).rejects.toThrow("The KQL query does not parse: Missing expression");
  });
});

describe("checkKqlQuery on a team's board (decision 0067)", () => {
  it.each([
    ["AppRequests | summarize count() by bin(TimeGenerated, 5m)", ["AppRequests"]],
    ['AppRequests | where AppRoleName != ""', ["AppRequests"]],
    ["let failed = AppRequests | where Success == false;\nfailed | join kind=leftouter (AppDependencies) on OperationId", ["AppDependencies", "AppRequests"]],
    ["union AppExceptions, AppAvailabilityResults | summarize count() by AppRoleName", ["AppAvailabilityResults", "AppExceptions"]],
    ["AppRequests | where AppRoleName in ((AppExceptions | distinct AppRoleName))", ["AppExceptions", "AppRequests"]],
    ["['AppRequests'] | as T | partition by AppRoleName (take 1) | count", ["AppRequests"]],
    ["let f = () { AppExceptions };\nf() | count", ["AppExceptions"]],
    ["let one = view () { AppRequests | take 1 };\none", ["AppRequests"]],
    ['print x = "no table"', []],
  ])("accepts %j, reading %j", async (query, tables) => {
    const check = await checkKqlQuery(query, { team: true });
    expect(check).toEqual({ ok: true, end: expect.any(Number), tables });
  });

  it.each([
    ["union * | count", '"*" (a wildcard table reference) reads every matching table of the workspace; name the tables'],
    ["union App* | count", '"App*" (a wildcard table reference)'],
    ["union withsource=T AppReq* | count", '"AppReq*" (a wildcard table reference)'],
    ['search "timeout"', "search reads every table of the workspace; start from a table and filter it"],
    ['search in (AppRequests) "timeout"', "search reads every table of the workspace"],
    ['find "timeout"', "find reads every table of the workspace"],
    ['workspace("other").AppRequests | count', "workspace() reads another workspace, application or table by name at run time; write the table's name"],
    ['app("other-app").requests | count', "app() reads another workspace"],
    ['resource("/subscriptions/x/resourceGroups/y").AppRequests | count', "resource() reads another workspace"],
    ['cluster("help").database("Samples").StormEvents | count', "cluster() reads another workspace"],
    ['database("other").AppRequests | count', "database() reads another workspace"],
    ['table("AppRequests") | count', "table() reads another workspace, application or table by name at run time"],
    ['let t = "ContainerLog"; table(t) | count', "table() reads"],
    ['external_table("x") | count', "external_table() reads"],
    ['graph("g") | graph-match (a)-[e]->(b) project a', "graph() reads"],
    ['stored_query_result("x")', "stored_query_result() reads"],
    ['externaldata (x: string) [@"https://example.com/x.csv"]', "externaldata reads from outside the workspace"],
    ["AppRequests | evaluate bag_unpack(Properties)", "evaluate runs a plugin"],
    ["AppRequests | take 1 | macro-expand g as X (X)", "macro-expand reads an entity group"],
    ["set truncationmaxrecords = 10;\nAppRequests | take 1", '"set" statements are not allowed there'],
    ["restrict access to (AppRequests);\nAppRequests | take 1", '"restrict" statements are not allowed there'],
    ["let AppRequests = AppRequests | where AppRoleName == 'web';\nAppRequests | count", '"let AppRequests = …" takes the table\'s own name'],
    // A table outside the App tables, a workspace's stored function: every name must resolve.
    ["ContainerLogV2 | take 5", "by name: The name 'ContainerLogV2' does not refer to any known table, tabular variable or function. (at line 1, column 1)"],
    ["AppRequests | join (Heartbeat) on Computer", "The name 'Heartbeat' does not refer to any known table"],
    // A fuzzy union only warns about a table it does not know: refused all the same.
    [
      "union isfuzzy=true AppRequests, ContainerLog | count",
      'by name: "ContainerLog" is none of them, nor one of their columns, a let or a function (at line 1, column 33)',
    ],
    ["union isfuzzy=true AppRequests, (ContainerLog | take 1) | count", '"ContainerLog" is none of them'],
    ["AppRequests | extend n = toscalar(AzureDiagnostics | count)", "The name 'AzureDiagnostics' does not refer to any known table"],
    ["MyStoredFunction() | take 5", "The name 'MyStoredFunction' does not refer to any known function."],
    ["AppRequests | where NoSuchColumn == 1", "The name 'NoSuchColumn' does not refer to any known column, table, variable or function."],
  ])("refuses %j with %j", async (query, message) => {
    const check = await checkKqlQuery(query, { team: true });
    expect(check.ok).toBe(false);
    const text = check.ok ? "" : check.message;
    expect(text).toMatch(/^On a team's board a query reads only the team's own rows of AppRequests, AppDependencies, AppAvailabilityResults, AppExceptions/);
    expect(text).toContain(message);
  });

  it("checks the syntax first, with the parser's message as on any board", async () => {
    expect(await checkKqlQuery("AppRequests | where", { team: true })).toEqual({
      ok: false,
      message: "The KQL query does not parse: Missing expression (at line 1, column 20)",
    });
  });

  it("refuses on a board for everyone only what does not parse: an admin's query may read the whole workspace", async () => {
    for (const query of ["union * | count", 'search "x"', 'workspace("other").AppRequests | count', "ContainerLogV2 | take 5"])
      expect((await checkKqlQuery(query)).ok).toBe(true);
  });
});

describe("cappedKqlQuery for a team's tile", () => {
  it("knows the App tables with the columns the sandbox serves (Azure Monitor's table reference)", () => {
    const sandbox = Object.fromEntries(
      Object.entries(appInsightsTables).map(([name, columns]) => [name, `(${columns.map((column) => `${column.name}:${column.type}`).join(", ")})`]),
    );
    expect(teamKqlTables).toEqual(sandbox);
  });

  it("shadows each table the query reads with a view of the team's roles, then restricts the query to those views", async () => {
    const query = await cappedKqlQuery('AppRequests | where AppRoleName != "" | join (AppExceptions) on OperationId', 10, ["web", 'we"ird\\']);
    const roles = 'dynamic(["we\\"ird\\\\", "web"])';
    expect(query).toBe(
      `let AppExceptions = view () { AppExceptions | where AppRoleName in (${roles}) };\n` +
        `let AppRequests = view () { AppRequests | where AppRoleName in (${roles}) };\n` +
        "restrict access to (AppExceptions, AppRequests);\n" +
        'AppRequests | where AppRoleName != "" | join (AppExceptions) on OperationId\n| take 11',
    );
    // What the poller sends parses (a board for everyone's check: syntax, one tabular expression).
    expect((await checkKqlQuery(query)).ok).toBe(true);
  });

  it("sends a query that reads no table as it is, and an empty role list as a list that matches nothing", async () => {
    expect(await cappedKqlQuery("print x = 1", 10, [])).toBe("print x = 1\n| take 11");
    expect(await cappedKqlQuery("AppRequests | count", 10, [])).toContain("AppRoleName in (dynamic([]))");
  });

  it("refuses at run time what it refuses on save (a tile saved before this check, a board given to a team)", async () => {
    await expect(cappedKqlQuery("union * | count", 10, ["web"])).rejects.toThrow("a wildcard table reference");
  });
});

describe("the parser's thread", () => {
  it("holds the parser: the calling process never defines its globals (decision 0050)", async () => {
    expect((await checkKqlQuery("AppRequests | take 1")).ok).toBe(true);
    expect(kqlThreadRunning()).toBe(true);
    expect("Kusto" in globalThis || "Bridge" in globalThis).toBe(false);
  });

  it("checks many queries at once, each answered with its own result", async () => {
    const queries = Array.from({ length: 20 }, (_, i) => (i % 2 ? `AppRequests | take ${i}` : `AppRequests | where ${i} >`));
    const checks = await Promise.all(queries.map((query) => checkKqlQuery(query)));
    expect(checks.map((check) => check.ok)).toEqual(queries.map((_, i) => i % 2 === 1));
  });
});
