// The written records stay true enough to trust: every decision says whether
// it still holds, and ARCHITECTURE.md names only files and folders that exist.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";

const decisionsFolder = "docs/decisions";
const decisions = readdirSync(decisionsFolder)
  .filter((name) => name.endsWith(".md"))
  .sort()
  .map((name) => ({ name, number: name.slice(0, 4), text: readFileSync(join(decisionsFolder, name), "utf8") }));
const numbers = new Set(decisions.map((decision) => decision.number));

// "accepted", "superseded by 0021", optionally "; amended by 0011, 0015 and 0019 (…)".
const statusLine = /^Status: (accepted|superseded by (\d{4}))(; amended by (\d{4}(?:(?:, | and )\d{4})*)\b.*)?$/m;

describe("decision records", () => {
  it("are numbered files with a title of the same number", () => {
    expect(decisions.length).toBeGreaterThan(15);
    for (const decision of decisions) {
      expect(decision.name, decision.name).toMatch(/^\d{4}-[a-z0-9-]+\.md$/);
      expect(decision.text.split("\n")[0], decision.name).toMatch(new RegExp(`^# ${decision.number}\\b`));
    }
  });

  it("each carry a Status line that names only later decisions that exist", () => {
    for (const decision of decisions) {
      const match = statusLine.exec(decision.text);
      expect(match, `${decision.name} needs a line "Status: accepted" or "Status: superseded by NNNN" under its title`).not.toBeNull();
      const named = [match![2], ...(match![4]?.split(/, | and /) ?? [])].filter((number): number is string => Boolean(number));
      for (const number of named) {
        expect(numbers.has(number), `${decision.name} names decision ${number}, which does not exist`).toBe(true);
        expect(number > decision.number, `${decision.name} is changed by ${number}, which must be a later decision`).toBe(true);
      }
      if (match![3]) expect(decision.text, `${decision.name} is amended: say what changed under "## Later changes"`).toContain("## Later changes");
    }
  });
});

describe("ARCHITECTURE.md", () => {
  const text = readFileSync("ARCHITECTURE.md", "utf8");
  const topLevel = /^(app|components|lib|sandbox|scripts|prisma|docs|deploy|bench|e2e)\//;

  it("names only paths that exist", () => {
    const paths = [...text.matchAll(/`([^`\s<>*]+)`/g)].map((match) => match[1]!).filter((token) => topLevel.test(token));
    expect(paths.length).toBeGreaterThan(30);
    expect(
      paths.filter((path) => !existsSync(path.replace(/\/$/, ""))),
      "paths in ARCHITECTURE.md that are not in the tree",
    ).toEqual([]);
  });

  it("names, in each folder's row of the layout table, only files that are in that folder", () => {
    const missing: string[] = [];
    for (const line of text.split("\n")) {
      const row = /^\| `([a-z]+\/(?:[a-z-]+\/)?)` \|/.exec(line);
      if (!row || !statSync(row[1]!, { throwIfNoEntry: false })?.isDirectory()) continue;
      const files = new Set(filesUnder(row[1]!).map((path) => basename(path)));
      for (const [, name] of line.matchAll(/`([A-Za-z0-9_.-]+\.tsx?)`/g)) {
        // Next.js route files (`loading.tsx`, `error.tsx`…) are named by convention and live under app/.
        if (!files.has(name!) && !existsSync(name!) && !nextRouteFile.test(name!)) missing.push(`${row[1]} ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

const nextRouteFile = /^(page|layout|loading|error|not-found|route)\.tsx?$/;

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
