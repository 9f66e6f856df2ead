// lib/db/migrate.ts applies migrations itself (decision 0002) and must stay
// interchangeable with `prisma migrate deploy`: the same advisory lock, the
// same history table, the same checksums. Those live in Prisma's schema
// engine, which the installed CLI ships as WebAssembly; this reads them from
// it, so a Prisma upgrade that changes one fails here, by name.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CREATE_HISTORY_TABLE, PRISMA_MIGRATE_LOCK_KEY } from "./migrate";
import { migrationChecksum } from "./migration-files";

const prismaDir = path.dirname(createRequire(import.meta.url).resolve("prisma/package.json"));
const engine = readFileSync(path.join(prismaDir, "build", "schema_engine_bg.wasm")).toString("latin1");
const prismaVersion = (JSON.parse(readFileSync(path.join(prismaDir, "package.json"), "utf8")) as { version: string }).version;

/** The release whose checksum.rs (SHA-256, lowercase hex, CRLF/LF variants) migration-files.ts was written from. */
const checksumVerifiedWith = "7.10.1";

describe(`Prisma Migrate ${prismaVersion}`, () => {
  it("locks the same advisory lock as lib/db/migrate.ts", () => {
    // Booleans, not toContain: a failure would print the whole engine.
    expect(
      engine.includes(`SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_KEY})`),
      `the schema engine does not run SELECT pg_advisory_lock(${PRISMA_MIGRATE_LOCK_KEY}); update PRISMA_MIGRATE_LOCK_KEY in lib/db/migrate.ts`,
    ).toBe(true);
  });

  it("creates _prisma_migrations exactly as lib/db/migrate.ts does", () => {
    // The engine's string runs on into the next constant without the closing parenthesis.
    const body = CREATE_HISTORY_TABLE.replace(/\n\);$/, "");
    expect(body).not.toBe(CREATE_HISTORY_TABLE);
    expect(engine.includes(body), "Prisma's DDL for _prisma_migrations changed; copy it into CREATE_HISTORY_TABLE in lib/db/migrate.ts").toBe(true);
  });

  it("checksums migrations with the algorithm migration-files.ts was written from", () => {
    expect(engine.includes("schema-engine/connectors/schema-connector/src/checksum.rs"), "the engine has no checksum.rs any more").toBe(true);
    expect(migrationChecksum("hello")).toBe("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    expect(
      prismaVersion,
      `Prisma ${prismaVersion} is not the release checksum.rs was read from; re-read prisma-engines' schema-connector/src/checksum.rs at that tag, check lib/db/migration-files.ts, then update checksumVerifiedWith`,
    ).toBe(checksumVerifiedWith);
  });
});
