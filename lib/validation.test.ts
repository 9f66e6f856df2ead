import { z } from "zod";
import { describe, expect, it } from "vitest";
import { findControlCharacter, parseInput } from "@/lib/validation";

const schema = z.object({ name: z.string(), links: z.array(z.object({ title: z.string() })).optional(), description: z.string().optional() });

describe("the one input layer", () => {
  it("refuses a NUL or other control character in any string field with a 400 that names the field", () => {
    for (const [input, path] of [
      [{ name: "pay\u0000ments" }, ["name"]],
      [{ name: "payments", links: [{ title: "ok" }, { title: "bell\u0007" }] }, ["links", 1, "title"]],
      [{ name: "payments", description: "escape \u001b[31m" }, ["description"]],
      [{ name: "payments", "bad\u0000key": "x" }, ["bad\u0000key"]],
    ] as const) {
      expect(() => parseInput(schema, input)).toThrow(expect.objectContaining({ code: "invalid_input", status: 400, path }));
    }
    expect(() => parseInput(schema, { name: "a\u0000" })).toThrow(/name contains a control character \(such as NUL\)/);
  });

  it("keeps tabs and line breaks, which multi-line text holds", () => {
    expect(parseInput(schema, { name: "payments", description: "line one\r\n\tline two" }).description).toBe("line one\r\n\tline two");
  });

  it("looks into plain objects and arrays only", () => {
    expect(findControlCharacter(new Uint8Array([0, 1, 2]))).toBeNull();
    expect(findControlCharacter(["ok", ["deep", "\u0000"]])).toEqual([1, 1]);
  });
});
