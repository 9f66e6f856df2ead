// Generates the Prisma client after `npm install`. Prisma 7's CLI looks for a
// native schema engine it downloads from outside the npm registry; generating
// the client does not use it, so where none is present we point the CLI at a
// stub that fails loudly if anything ever does call it.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY) {
  const stub = join(root, "node_modules", ".cache", "wharf", "schema-engine-stub");
  if (!existsSync(stub)) {
    mkdirSync(join(stub, ".."), { recursive: true });
    writeFileSync(stub, "#!/bin/sh\necho 'Prisma schema engine is not installed here; Wharf applies migrations with lib/db/migrate.ts' >&2\nexit 1\n");
    chmodSync(stub, 0o755);
  }
  env.PRISMA_SCHEMA_ENGINE_BINARY = stub;
}
const prismaCli = join(root, "node_modules", "prisma", "build", "index.js");
const result = spawnSync(process.execPath, [prismaCli, "generate"], { cwd: root, env, stdio: "inherit" });
process.exit(result.status ?? 1);
