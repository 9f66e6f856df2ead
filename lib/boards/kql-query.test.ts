// Microsoft's parser on a KQL tile's query: what is refused when a board is saved, with the parser's message, and how the row cap is appended.
import { describe, expect, it, vi } from "vitest";
import { cappedKqlQuery, checkKqlQuery } from "./kql-query";

describe("checkKqlQuery", () => {
  it.each([
    "AppRequests | summarize count() by bin(TimeGenerated, 5m)",
    "let failed = AppRequests | where Success == false;\nfailed | summarize count() by bin(TimeGenerated, 1h)",
    "// requests per role\nAppRequests\n| summarize requests = count() by AppRoleName\n| top 10 by requests",
    // Syntax only: a table this workspace may lack is Log Analytics' to report at run time.
    "NoSuchTable | take 5",
  ])("accepts %j", (query) => {
    expect(checkKqlQuery(query).ok).toBe(true);
  });

  it.each([
    ["AppRequests | where", "The KQL query does not parse: Missing expression (at line 1, column 20)"],
    ["AppRequests\n| summarize count( by AppRoleName", "The KQL query does not parse: Expected: ) (at line 2, column"],
    ["AppRequests | nosuchoperator", "The KQL query does not parse: Query operator expected."],
    ["AppRequests | take 1; AppDependencies | take 1", "The query has 2 tabular expressions"],
    ["let x = 1;", "no tabular expression"],
    ["AppRequests | summarize count() by bin(TimeGenerated, 5m) | render timechart", "Leave out render"],
  ])("refuses %j with %j", (query, message) => {
    const check = checkKqlQuery(query);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.message).toContain(message);
  });
});

describe("cappedKqlQuery", () => {
  it("appends the row cap to the tabular expression, after a trailing comment or semicolon", () => {
    expect(cappedKqlQuery("AppRequests | take 5000", 500)).toBe("AppRequests | take 5000\n| take 501");
    expect(cappedKqlQuery("let a = 1;\nAppRequests | project a; // the end", 10)).toBe("let a = 1;\nAppRequests | project a\n| take 11");
    expect(checkKqlQuery(cappedKqlQuery("AppRequests | summarize count() by AppRoleName // per role", 500)).ok).toBe(true);
  });
});

describe("the parser's globals", () => {
  it("are reused by a second copy of the module (Next bundles route handlers and server actions apart)", async () => {
    expect(checkKqlQuery("AppRequests | take 1").ok).toBe(true);
    vi.resetModules();
    const again = await import("./kql-query");
    expect(again.checkKqlQuery).not.toBe(checkKqlQuery);
    expect(again.checkKqlQuery("AppRequests | where").ok).toBe(false);
  });
});
