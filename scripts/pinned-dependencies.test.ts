// Wharf reaches into these packages' internals (each has its own contract
// test, named below), so they are pinned to one exact version: an upgrade is
// a deliberate change that runs those tests, never a side effect of `npm install`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const pinned: Record<string, string> = {
  "pg-boss": "lib/jobs/job-table-contract.test.ts (Wharf writes its job table)",
  prisma:
    "lib/db/prisma-migrate-contract.test.ts (Migrate's lock and history table), lib/db/schema-check/prisma-schema-wasm-contract.test.ts (the schema WebAssembly)",
  "@prisma/client": "generated client and its runtime, same release line as prisma",
  "@prisma/adapter-pg": "the driver adapter, same release line as prisma",
  "@kubernetes/client-node": "sandbox/kubernetes/client-node-contract.test.ts (the sandbox's deep import of the generated models)",
};

const manifest = JSON.parse(readFileSync("package.json", "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")) as {
  packages: Record<string, { version?: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
};

describe.each(Object.entries(pinned))("%s", (name, why) => {
  const spec = manifest.dependencies[name] ?? manifest.devDependencies[name];

  it(`is pinned to the exact version installed and locked (coupled through ${why})`, () => {
    expect(spec, `${name} must be an exact version in package.json, not a range`).toMatch(/^\d+\.\d+\.\d+$/);
    expect(lock.packages[`node_modules/${name}`]?.version, "package-lock.json").toBe(spec);
    const root = lock.packages[""]!;
    expect(root.dependencies?.[name] ?? root.devDependencies?.[name], "package-lock.json's copy of package.json").toBe(spec);
    const installed = (JSON.parse(readFileSync(`node_modules/${name}/package.json`, "utf8")) as { version: string }).version;
    expect(installed, "node_modules (run npm ci)").toBe(spec);
  });
});
