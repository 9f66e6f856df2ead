// Scalar operators and functions, each evaluated over request r1 of the
// fixtures (web, w1, "GET /", Success, 100 ms, ItemCount 2, 11:10:30, ParentId d1).
import { describe, expect, it } from "vitest";
import { run } from "./test-fixtures";

function value(expression: string): { value: unknown; type: string } {
  const result = run(`AppRequests | where Id == 'r1' | project x = ${expression}`);
  return { value: result.rows[0]![0], type: result.columns[0]!.type };
}

describe("scalar expressions", () => {
  it.each([
    // arithmetic; long division is integer division
    ["1 + 2", 3, "long"],
    ["7 / 2", 3, "long"],
    ["-7 / 2", -3, "long"],
    ["7.0 / 2", 3.5, "real"],
    ["ItemCount / 4", 0, "long"],
    ["7 % 3", 1, "long"],
    ["DurationMs * 2 - 1", 199, "real"],
    ["long(null) + 1", null, "long"],
    // logic and comparisons
    ["Success and true", true, "bool"],
    ["not(Success)", false, "bool"],
    ["Success or false", true, "bool"],
    ["DurationMs >= 100 and DurationMs < 101", true, "bool"],
    ['Name == "GET /"', true, "bool"],
    ['Name != "GET /"', false, "bool"],
    ['Name =~ "get /"', true, "bool"],
    ['Name !~ "get /"', false, "bool"],
    ['Name contains "et"', true, "bool"],
    ['Name !contains "ET"', false, "bool"],
    ['Url has "items"', true, "bool"],
    ['Url has "item"', false, "bool"],
    ['Name startswith "ge"', true, "bool"],
    ['Name endswith " /"', true, "bool"],
    ['AppRoleName in ("web", "api")', true, "bool"],
    ['AppRoleName !in ("web")', false, "bool"],
    ['AppRoleName in~ ("WEB")', true, "bool"],
    ["DurationMs between (50 .. 100)", true, "bool"],
    ["DurationMs !between (1 .. 2)", true, "bool"],
    ["TimeGenerated between (datetime(2026-01-01 11:00) .. 15m)", true, "bool"],
    // time
    ["ago(1h)", "2026-01-01T11:00:00Z", "datetime"],
    ["now()", "2026-01-01T12:00:00Z", "datetime"],
    ["datetime(2026-01-01 10:00) + 1h", "2026-01-01T11:00:00Z", "datetime"],
    ["datetime(2026-01-01T10:00:00.5Z)", "2026-01-01T10:00:00.5000000Z", "datetime"],
    ["1m", "00:01:00", "timespan"],
    ["100ms", "00:00:00.1000000", "timespan"],
    ["30d", "30.00:00:00", "timespan"],
    ["1h + 30m", "01:30:00", "timespan"],
    ["TimeGenerated - datetime(2026-01-01 11:00)", "00:10:30", "timespan"],
    ["bin(TimeGenerated, 1m)", "2026-01-01T11:10:00Z", "datetime"],
    ["bin(TimeGenerated, 1h)", "2026-01-01T11:00:00Z", "datetime"],
    ["bin(DurationMs, 30)", 90, "real"],
    ["floor(DurationMs, 30)", 90, "real"],
    ["startofday(TimeGenerated)", "2026-01-01T00:00:00Z", "datetime"],
    // conditionals
    ['iff(Success, "ok", "bad")', "ok", "string"],
    ['iif(DurationMs > 200, "slow", "fast")', "fast", "string"],
    ['case(DurationMs > 200, "slow", DurationMs > 50, "mid", "fast")', "mid", "string"],
    ["coalesce(long(null), 5)", 5, "long"],
    ['coalesce("", "b")', "b", "string"],
    // numbers
    ["round(2.345, 2)", 2.35, "real"],
    ["round(2.5)", 3, "real"],
    ["round(-2.5)", -3, "real"],
    ["max_of(1, 5, 3)", 5, "long"],
    ["min_of(4, 2)", 2, "long"],
    ["abs(-3)", 3, "long"],
    ["sqrt(16)", 4, "real"],
    ["log(1)", 0, "real"],
    ["pow(2, 10)", 1024, "real"],
    // strings and conversions
    ['strcat(AppRoleName, "-", ItemCount, "-", Success)', "web-2-true", "string"],
    ['isempty("")', true, "bool"],
    ["isnotempty(ParentId)", true, "bool"],
    ["isnull(long(null))", true, "bool"],
    ["isnotnull(DurationMs)", true, "bool"],
    ["tostring(ItemCount)", "2", "string"],
    ["tostring(TimeGenerated)", "2026-01-01T11:10:30Z", "string"],
    ["tostring(1.5)", "1.5", "string"],
    ['todouble("1.5")', 1.5, "real"],
    ['toreal("x")', null, "real"],
    ['toint("42")', 42, "int"],
    ["tolong(3.9)", 3, "long"],
    ['tobool("true")', true, "bool"],
    ['todatetime("2026-01-01")', "2026-01-01T00:00:00Z", "datetime"],
    ['trim(@"[ ]+", "  a b  ")', "a b", "string"],
    ['trim_start("x", "xxaxx")', "axx", "string"],
    ['trim_end(@"\\s*\\|.*", "api | cid-v1:abc")', "api", "string"],
    ['tolower("AbC")', "abc", "string"],
    ['toupper("AbC")', "ABC", "string"],
    ['strlen("héllo")', 5, "long"],
    ['substring("abcdef", 1, 3)', "bcd", "string"],
    ['substring("abcdef", 2)', "cdef", "string"],
  ])("%s → %j (%s)", (expression, expected, type) => {
    expect(value(expression)).toEqual({ value: expected, type });
  });

  it("reads members of dynamic columns", () => {
    const row = run(`AppRequests | where Id == 'r1' | extend P = dynamic({"a": {"b": 2}, "list": [1, 2]}) | project P.a.b, P["list"][1], P.nothing`).rows[0];
    expect(row).toEqual([2, 2, null]);
  });
});
