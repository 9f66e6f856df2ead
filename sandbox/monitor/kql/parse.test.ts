import { describe, expect, it } from "vitest";
import { appInsightsTables } from "../app-insights-schema";
import { columnsOf, kqlDiagnostics, parseKql } from "./parse";

describe("kqlDiagnostics", () => {
  it("finds nothing wrong with a valid query over the App Insights tables", () => {
    expect(
      kqlDiagnostics(
        "AppRequests | where TimeGenerated > ago(1h) | summarize Requests = sum(ItemCount), P95 = percentilew(DurationMs, ItemCount, 95) by AppRoleName",
      ),
    ).toEqual([]);
  });

  it("reports an unknown table with the parser's message", () => {
    expect(kqlDiagnostics("AppRequest | take 1")).toEqual([
      {
        code: "KS204",
        severity: "Error",
        message: "The name 'AppRequest' does not refer to any known table, tabular variable or function.",
      },
    ]);
  });

  it("reports an unknown column with the parser's message", () => {
    expect(kqlDiagnostics("AppExceptions | where DurationMs > 10")).toEqual([
      {
        code: "KS142",
        severity: "Error",
        message: "The name 'DurationMs' does not refer to any known column, table, variable or function.",
      },
    ]);
  });

  it("reports a syntax error", () => {
    const diagnostics = kqlDiagnostics("AppRequests | where");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: "Error", message: "Missing expression" });
  });

  it("sees every table with the schema's columns and types", () => {
    for (const [name, columns] of Object.entries(appInsightsTables)) {
      const parsed = parseKql(name);
      expect(parsed.errors).toEqual([]);
      expect(columnsOf(parsed.code.ResultType)).toEqual(columns);
    }
  });
});
