import { describe, expect, it } from "vitest";
import { auditFilter } from "@/lib/admin/list-audit-events";
import { parseInput } from "@/lib/validation";

describe("the audit log's page cursor", () => {
  it("takes an event id", () => {
    expect(parseInput(auditFilter, { before: "42" }).before).toBe(42n);
  });

  it.each(["99999999999999999999", "9223372036854775808", "0", "-1", "abc", "1.5"])("refuses %s with a 400 instead of overflowing the query", (before) => {
    expect(() => parseInput(auditFilter, { before })).toThrow(expect.objectContaining({ code: "invalid_input", path: ["before"] }));
  });
});
