import { describe, expect, it } from "vitest";
import { loadConfig } from "../lib/config";
import { webProcessCount } from "./web-processes";

const gib = 1024 ** 3;
const sandboxEnv = { WHARF_MODE: "sandbox", SANDBOX_ENDPOINTS_FILE: "/nonexistent/endpoints.json" };

describe("web processes", () => {
  it("defaults to one per core, at most 4 and at most one per GiB of memory", () => {
    expect(webProcessCount(undefined, { cores: 2, memoryBytes: 16 * gib })).toBe(2);
    expect(webProcessCount(undefined, { cores: 32, memoryBytes: 64 * gib })).toBe(4);
    expect(webProcessCount(undefined, { cores: 8, memoryBytes: 3 * gib })).toBe(3);
    expect(webProcessCount(undefined, { cores: 1, memoryBytes: 16 * gib })).toBe(1);
    expect(webProcessCount(undefined, { cores: 4, memoryBytes: gib / 2 })).toBe(1);
  });

  it("takes the setting as it is", () => {
    expect(webProcessCount(1, { cores: 8, memoryBytes: 16 * gib })).toBe(1);
    expect(webProcessCount(6, { cores: 2, memoryBytes: 2 * gib })).toBe(6);
  });

  it("refuses a setting that is not a whole number from 1 to 16, naming the variable", () => {
    for (const [value, expected] of [
      ["0", "at least 1"],
      ["17", "at most 16"],
      ["2.5", "a whole number of web processes"],
      ["two", "a number of web processes"],
    ]) {
      expect(() => loadConfig({ ...sandboxEnv, WHARF_WEB_PROCESSES: value })).toThrow(`Configuration error: WHARF_WEB_PROCESSES must be ${expected}`);
    }
  });
});
