// No line of product code is over 160 characters (issue 18 item 8). Prettier
// (printWidth 160) wraps code, but not a long string, template literal,
// className or comment: split those by hand ("..." + "...", cn(), a rewrapped
// comment). Product code is every tracked .ts, .tsx and .mjs file except tests,
// __fixtures__/, bench/ and e2e/. Length is counted in characters, as Prettier
// counts printWidth (`awk 'length($0) > 160'` with mawk counts bytes, so it
// also lists a line of 160 characters holding a "…" or a "·").
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const maxLineLength = 160;

/** The 1-based numbers and lengths of the lines of `text` that are longer than `max` characters. */
function longLines(text: string, max = maxLineLength): { line: number; length: number }[] {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line: index + 1, length: [...line].length }))
    .filter(({ length }) => length > max);
}

function isProductCode(path: string): boolean {
  return /\.(ts|tsx|mjs)$/.test(path) && !path.includes("__fixtures__") && !/\.test\.tsx?$/.test(path) && !/^(bench|e2e)\//.test(path);
}

function productFiles(): string[] {
  return execFileSync("git", ["ls-files", "-z", "*.ts", "*.tsx", "*.mjs"], { encoding: "utf8" })
    .split("\0")
    .filter((path) => path !== "" && isProductCode(path));
}

describe("line length", () => {
  it("flags a line over 160 characters, and not one of exactly 160", () => {
    const sample = ["const short = 1;", `const message = "${"x".repeat(150)}";`, "x".repeat(160), `// ${"…".repeat(157)}`].join("\n");
    expect(longLines(sample)).toEqual([{ line: 2, length: 169 }]);
    expect(longLines(sample.replaceAll("\n", "\r\n"))).toEqual([{ line: 2, length: 169 }]);
  });

  it("takes tracked product code only, not tests, fixtures, benches or end-to-end specs", () => {
    const files = productFiles();
    expect(files).toContain("lib/config.ts");
    expect(files).toContain("components/ui/button.tsx");
    expect(
      ["lib/config.test.ts", "components/x.test.tsx", "bench/startup.ts", "e2e/map.spec.ts", "lib/catalog/__fixtures__/a.ts"].filter(isProductCode),
    ).toEqual([]);
  });

  it("no product file has a line over 160 characters", () => {
    const offenders = productFiles().flatMap((path) =>
      longLines(readFileSync(path, "utf8")).map(({ line, length }) => `${path}:${line} (${length} characters)`),
    );
    expect(offenders, 'split these lines: long strings into "..." + "...", classNames with cn(), comments onto several lines').toEqual([]);
  });
});
