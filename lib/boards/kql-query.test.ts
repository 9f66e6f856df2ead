// Microsoft's parser on a KQL tile's query: what is refused when a board is saved, with the parser's message, and how the row cap is appended.
import { afterAll, describe, expect, it } from "vitest";
import { cappedKqlQuery, checkKqlQuery, kqlThreadRunning, stopKqlThread } from "./kql-query";

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
